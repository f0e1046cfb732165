package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.KafkaCluster.Partition;
import io.flowders.stack.Runtimes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's kafka-init script against a real 3-node cluster and Kafka 4.1's own CLI classes (the
 * ones /opt/kafka/bin runs in the apache/kafka image): the flags, the describe format it checks,
 * and a second run, as after `docker compose up` on existing volumes.
 */
class KafkaInitScriptIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Map<String, String> TOOLS =
      Map.of(
          "kafka-topics.sh",
          KafkaCluster.TOPIC_COMMAND,
          "kafka-configs.sh",
          "kafka.admin.ConfigCommand");

  @TempDir static Path tmp;
  private static KafkaCluster kafka;
  private static Path kafkaHome;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeAll
  static void startKafka() throws IOException {
    kafka =
        KafkaCluster.builder()
            .freePorts()
            .heap("384m")
            .dataDir(tmp.resolve("data"))
            .build()
            .start();
    kafkaHome = tmp.resolve("kafka");
    Path bin = Files.createDirectories(kafkaHome.resolve("bin"));
    String classpath = String.join(File.pathSeparator, Runtimes.classpath(Runtimes.KAFKA));
    String log4j = Repo.path("deploy/kafka/log4j2.properties").toUri().toString();
    for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
      Path script = bin.resolve(tool.getKey());
      Files.writeString(
          script,
          "#!/bin/sh\nexec java $KAFKA_HEAP_OPTS -Dlog4j2.configurationFile="
              + log4j
              + " -cp '"
              + classpath
              + "' "
              + tool.getValue()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void createsTheTopicAsTheSharedSettingsSayAndAcceptsARerun() {
    String topic = settings.get("FLOWDERS_TOPIC");
    Result first = run(topic);
    assertThat(first.exitCode()).as(first.output()).isZero();

    Map<Integer, Partition> partitions = kafka.partitions(topic);
    assertThat(partitions).hasSize(Integer.parseInt(settings.get("FLOWDERS_TOPIC_PARTITIONS")));
    assertThat(partitions.values())
        .allSatisfy(
            partition ->
                assertThat(partition.replicas())
                    .hasSize(Integer.parseInt(settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"))));
    assertThat(kafka.describeTopic(topic))
        .contains("min.insync.replicas=" + settings.get("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"));

    Result rerun = run(topic);
    assertThat(rerun.exitCode()).as(rerun.output()).isZero();
    assertThat(kafka.partitions(topic)).hasSameSizeAs(partitions);
  }

  @Test
  void aTopicLeftWithOtherPartitionsStopsTheStack() {
    kafka.createTopic("orders-from-an-old-volume", 3, 3, Map.of());

    Result result = run("orders-from-an-old-volume");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("without 'PartitionCount: " + settings.get("FLOWDERS_TOPIC_PARTITIONS") + "'");
    assertThat(kafka.partitions("orders-from-an-old-volume")).as("left as it was").hasSize(3);
  }

  /** kafka-init with compose's environment (env_file, then the overrides), against this cluster. */
  private Result run(String topic) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("FLOWDERS_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
    env.put("FLOWDERS_TOPIC", topic);
    env.put("KAFKA_HOME", kafkaHome.toString());
    return Commands.run(tmp, env, TIMEOUT, List.of("bash", Repo.path(Repo.KAFKA_INIT).toString()));
  }
}
