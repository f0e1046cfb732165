package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The commands that run one program on the user's terminal: the streaming job, the SQL shell,
 * verify (each a Spark driver of the job's jar) and Kafka's own CLI tools.
 */
final class Foreground {

  static final String SQL_HEAP = "768m";
  static final String VERIFY_HEAP = "1g";

  private Foreground() {}

  /**
   * The job on the stack's Spark cluster when it runs (it then takes the cluster's cores), else in
   * local mode; refused while the stack's own job runs or its supervisor would start it again,
   * since the Hadoop catalog allows one writer per table.
   */
  static int job(StackLayout layout, boolean once) {
    for (String owner : List.of(StackLayout.JOB, StackLayout.JOB_SUPERVISOR)) {
      Processes.fromPidFile(layout.pidFile(owner))
          .ifPresent(
              p -> {
                throw new StackException(
                    "the stack's "
                        + owner
                        + " is running (pid "
                        + p.pid()
                        + "); one writer per table: "
                        + "follow the job with ./flowders logs job, or stop the stack with ./flowders down first");
              });
    }
    boolean cluster = Processes.fromPidFile(layout.pidFile(StackLayout.SPARK_MASTER)).isPresent();
    String master = cluster ? layout.config().sparkMaster() : SparkDriver.LOCAL_MASTER;
    requireOpen("Kafka", layout.config().kafkaClientPorts().get(0));
    requireOpen("the S3 server", layout.config().s3Port());
    System.err.println(
        "flowders: the job on "
            + master
            + (once ? ", until the topic is drained" : ", Ctrl-C stops it"));
    return SparkDriver.builder(layout, SparkDriver.JOB_MAIN, master, LocalStack.DRIVER_HEAP)
        .name(StackLayout.JOB)
        .args(once ? List.of("--once") : List.of())
        .runInForeground();
  }

  static int sql(StackLayout layout, List<String> args) {
    requireOpen("the S3 server", layout.config().s3Port());
    return SparkDriver.builder(layout, SparkDriver.SQL_MAIN, SparkDriver.LOCAL_MASTER, SQL_HEAP)
        .name("sql")
        .jvmArgs(SparkDriver.localSettings().toArray(String[]::new))
        .env(FlowdersSettings.SQL_HISTORY, layout.sqlHistory().toString())
        .args(args)
        .runInForeground();
  }

  static int verify(StackLayout layout, List<String> args) {
    requireOpen("Kafka", layout.config().kafkaClientPorts().get(0));
    requireOpen("the S3 server", layout.config().s3Port());
    return SparkDriver.builder(
            layout, SparkDriver.VERIFY_MAIN, SparkDriver.LOCAL_MASTER, VERIFY_HEAP)
        .name("verify")
        .jvmArgs(SparkDriver.localSettings().toArray(String[]::new))
        .args(args)
        .runInForeground();
  }

  /**
   * A Kafka CLI main class with the stack's brokers as --bootstrap-server, as the stack's admin
   * principal (its client config file), unless the user named brokers or a config file.
   */
  static int kafka(StackLayout layout, String mainClass, List<String> args) {
    List<String> all = new ArrayList<>(args);
    if (!given(args, "--bootstrap-server") && !args.contains("--help")) {
      all.addAll(List.of("--bootstrap-server", layout.config().kafkaBootstrap()));
      String configOption = CONFIG_OPTIONS.get(mainClass);
      Path adminConfig = layout.kafkaClientConfig(KafkaPrincipal.ADMIN);
      if (configOption != null && !given(args, configOption) && Files.isRegularFile(adminConfig)) {
        all.addAll(List.of(configOption, adminConfig.toString()));
      }
    }
    return KafkaCluster.toolLauncher(mainClass).args(all).runInForeground();
  }

  /** How each Kafka 4.1 tool takes a client config file. */
  private static final Map<String, String> CONFIG_OPTIONS =
      Map.of(
          KafkaCluster.TOPIC_COMMAND, "--command-config",
          KafkaCluster.CONSOLE_CONSUMER, "--consumer.config",
          KafkaCluster.CONSOLE_PRODUCER, "--producer.config");

  private static boolean given(List<String> args, String option) {
    return args.contains(option) || args.stream().anyMatch(a -> a.startsWith(option + "="));
  }

  /** A clear message instead of a minute of client retries when the stack is not up. */
  private static void requireOpen(String what, int port) {
    if (!Ports.isOpen(port)) {
      throw new StackException(
          what + " does not answer on 127.0.0.1:" + port + ": start the stack with ./flowders up");
    }
  }
}
