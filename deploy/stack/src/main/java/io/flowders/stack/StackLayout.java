package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where ./flowders keeps what it runs: pid files, logs and component state under {@code .flowders/}
 * and the object store's buckets under {@code warehouse/}, both below the repository root. Two
 * variables move them (the end-to-end test runs a second stack in temporary folders).
 */
public final class StackLayout {

  public static final String STATE_DIR = FlowdersSettings.STATE_DIR.name();
  public static final String WAREHOUSE_DIR = FlowdersSettings.WAREHOUSE_DIR.name();
  public static final String JOB = "job";
  public static final String JOB_SUPERVISOR = "job-supervisor";
  public static final String PRODUCER = "producer";
  public static final String S3 = "s3";
  public static final String SPARK_MASTER = "spark-master";

  private final Path home;
  private final StackConfig config;
  private final Path state;
  private final Path warehouse;
  private final Credentials credentials;

  /**
   * The stack under {@code home} with {@code config}, whose blank secrets are filled in from the
   * stack's {@link Credentials} (generated on first use), and whose Kafka readers are the job
   * principal ({@link #kafkaClientConfig}): a value set in the environment wins.
   */
  public StackLayout(Path home, StackConfig config) {
    this.home = home;
    this.state = home.resolve(config.settings().get(FlowdersSettings.STATE_DIR)).normalize();
    this.warehouse =
        home.resolve(config.settings().get(FlowdersSettings.WAREHOUSE_DIR)).normalize();
    Folders.createPrivate(state);
    this.credentials = Credentials.ensure(state.resolve(Credentials.FILE));
    Map<String, String> defaults = new LinkedHashMap<>(credentials.settings());
    defaults.put(
        FlowdersSettings.KAFKA_PROPERTIES.name(), kafkaClientConfig(KafkaPrincipal.JOB).toString());
    this.config = config.withDefaults(defaults);
  }

  public static StackLayout load() {
    return new StackLayout(FlowdersHome.root(), StackConfig.load());
  }

  public Path home() {
    return home;
  }

  public StackConfig config() {
    return config;
  }

  public Path state() {
    return state;
  }

  /** The stack's generated secrets ({@code .flowders/credentials.properties}). */
  public Credentials credentials() {
    return credentials;
  }

  public Path warehouse() {
    return warehouse;
  }

  /** A path as the user would type it: relative to the root when it is inside. */
  public String display(Path path) {
    return path.startsWith(home) ? home.relativize(path).toString() : path.toString();
  }

  public Path kafkaDir() {
    return state.resolve("kafka");
  }

  /**
   * The client config file of a Kafka principal, written by the stack's Kafka cluster at each start
   * (its data folder is {@link #kafkaDir}).
   */
  public Path kafkaClientConfig(KafkaPrincipal principal) {
    return principal.configFile(kafkaDir());
  }

  /**
   * The producer's config file: its Kafka login and rate token, written at each start from the
   * credentials ({@link Producer#writeConfig}); Quarkus dev mode can read it too.
   */
  public Path producerConfig() {
    return state.resolve("producer.properties");
  }

  public Path s3Dir() {
    return state.resolve("s3");
  }

  public Path sparkDir() {
    return state.resolve("spark");
  }

  public Path logsDir() {
    return state.resolve("logs");
  }

  public Path pidFile(String component) {
    return state.resolve("pids").resolve(component + ".pid");
  }

  /** What the job's supervisor reports ({@link SupervisorState}). */
  public Path supervisorState() {
    return state.resolve(JOB_SUPERVISOR + ".json");
  }

  public Path sqlHistory() {
    return state.resolve("sql_history");
  }

  public int producerPort() {
    return config.settings().get(FlowdersSettings.PRODUCER_PORT);
  }

  public String producerUrl() {
    return "http://127.0.0.1:" + producerPort();
  }

  public int sparkUiPort() {
    return config.settings().get(FlowdersSettings.SPARK_UI_PORT);
  }

  public String sparkUiUrl() {
    return "http://127.0.0.1:" + sparkUiPort();
  }

  public int jobMetricsPort() {
    return config.settings().get(FlowdersSettings.JOB_METRICS_PORT);
  }

  /** The job's Prometheus endpoint ({@link JobStatus}). */
  public String jobMetricsUrl() {
    return "http://127.0.0.1:" + jobMetricsPort() + "/metrics";
  }

  public String sparkMasterUiUrl() {
    return "http://127.0.0.1:" + config.sparkMasterUiPort();
  }

  /**
   * The metadata folder of the totals table as files of the S3 server: a new {@code snap-*.avro}
   * there is a commit of the job.
   */
  public Path totalsMetadata() {
    URI warehouseUri = URI.create(config.warehouse());
    return warehouse
        .resolve(warehouseUri.getHost())
        .resolve(warehouseUri.getPath().replaceFirst("^/", ""))
        .resolve("flowders")
        .resolve("customer_minute_totals")
        .resolve("metadata");
  }

  /** Every process of the stack, in start order. */
  public List<Component> components() {
    List<Component> all = new ArrayList<>();
    List<Integer> kafkaPorts = config.kafkaClientPorts();
    for (int id : KafkaCluster.NODE_IDS) {
      all.add(
          new Component(
              "kafka-" + id,
              kafkaDir().resolve("node-" + id).resolve("node.log"),
              "127.0.0.1:" + kafkaPorts.get(id - 1),
              List.of(
                  kafkaPorts.get(id - 1),
                  config.kafkaBrokerPorts().get(id - 1),
                  config.kafkaControllerPorts().get(id - 1))));
    }
    all.add(
        new Component(
            S3, s3Dir().resolve("s3proxy.log"), config.s3Endpoint(), List.of(config.s3Port())));
    all.add(
        new Component(
            SPARK_MASTER,
            sparkDir().resolve("spark-master.log"),
            sparkMasterUiUrl() + "  (" + config.sparkMaster() + ")",
            List.of(config.sparkMasterPort(), config.sparkMasterUiPort())));
    List<Integer> workerUis = config.sparkWorkerUiPorts();
    for (int i = 1; i <= workerUis.size(); i++) {
      all.add(
          new Component(
              "spark-worker-" + i,
              sparkDir().resolve("spark-worker-" + i + ".log"),
              "http://127.0.0.1:" + workerUis.get(i - 1),
              List.of(workerUis.get(i - 1))));
    }
    all.add(
        new Component(
            JOB_SUPERVISOR,
            logsDir().resolve(JOB_SUPERVISOR + ".log"),
            "restarts the job when it fails",
            List.of()));
    all.add(
        new Component(
            JOB,
            logsDir().resolve("job.log"),
            sparkUiUrl(),
            List.of(sparkUiPort(), jobMetricsPort())));
    all.add(
        new Component(
            PRODUCER,
            logsDir().resolve("producer.log"),
            producerUrl() + "/orders/stats",
            List.of(producerPort())));
    return all;
  }

  /** The component of that name. */
  public Component component(String name) {
    return components().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** One process of the stack: its log, where to look at it, and the ports it binds. */
  public record Component(String name, Path log, String url, List<Integer> ports) {}
}
