package io.flowders.settings;

import static io.flowders.settings.SettingType.DURATION_TYPE;
import static io.flowders.settings.SettingType.HOST_PORTS;
import static io.flowders.settings.SettingType.LOCATION_URI;
import static io.flowders.settings.SettingType.MEMORY;
import static io.flowders.settings.SettingType.OPTIONAL_FILE;
import static io.flowders.settings.SettingType.ORDER_AMOUNT;
import static io.flowders.settings.SettingType.PATH_OR_URI;
import static io.flowders.settings.SettingType.PORT;
import static io.flowders.settings.SettingType.PORTS;
import static io.flowders.settings.SettingType.POSITIVE_INT;
import static io.flowders.settings.SettingType.POSITIVE_LONG;
import static io.flowders.settings.SettingType.SECRET;
import static io.flowders.settings.SettingType.SPARK_MASTER;
import static io.flowders.settings.SettingType.TEXT;
import static io.flowders.settings.SettingType.URL_WITH_PORT;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every setting of flowders, each declared once: name, type, default and doc. The local stack, the
 * job, the bench and the tests read them through {@link Settings}; {@code deploy/flowders.env}
 * (docker compose's env_file) and the README's configuration table are generated from here by
 * {@code ./flowders settings} ({@link SettingsFiles}).
 *
 * <p>The producer's own keys ({@code ORDERS_RATE}, {@code ORDERS_CUSTOMERS}, ...) are not here:
 * they are Quarkus config with their defaults in the producer's {@code OrdersConfig}, which runs on
 * its own too; the stack passes them through from the environment.
 */
public final class FlowdersSettings {

  // Kafka: 3 KRaft nodes, ids 1..3
  public static final Setting<List<URI>> KAFKA_BOOTSTRAP =
      new Setting<>(
          "FLOWDERS_KAFKA_BOOTSTRAP",
          HOST_PORTS,
          "127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094",
          "the brokers (their client ports, nodes 1..3)");
  public static final Setting<List<Integer>> KAFKA_CONTROLLER_PORTS =
      new Setting<>(
          "FLOWDERS_KAFKA_CONTROLLER_PORTS",
          PORTS,
          "19092,19093,19094",
          "KRaft controller ports of nodes 1..3");
  public static final Setting<List<Integer>> KAFKA_BROKER_PORTS =
      new Setting<>(
          "FLOWDERS_KAFKA_BROKER_PORTS",
          PORTS,
          "29092,29093,29094",
          "inter-broker listener ports of nodes 1..3 (SASL/PLAIN as `flowders-admin`)");

  /**
   * The Kafka client config of every reader of the topic (the job, verify, the bench): a properties
   * file of Kafka client keys ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, ...) that
   * each applies as it is. See {@link KafkaClientProperties}.
   */
  public static final Setting<String> KAFKA_PROPERTIES =
      new Setting<>(
          "FLOWDERS_KAFKA_PROPERTIES",
          OPTIONAL_FILE,
          "",
          "Kafka client properties of the job, `verify` and the bench (`security.protocol`,"
              + " `sasl.*`, `ssl.*`, ...): `./flowders up` points it at"
              + " `.flowders/kafka/job.properties`; blank: none (PLAINTEXT)");

  public static final Setting<String> TOPIC =
      new Setting<>("FLOWDERS_TOPIC", TEXT, "orders", "the topic");
  public static final Setting<Integer> TOPIC_PARTITIONS =
      new Setting<>(
          "FLOWDERS_TOPIC_PARTITIONS",
          POSITIVE_INT,
          "10",
          "its partitions (created only when missing)");
  public static final Setting<Integer> TOPIC_REPLICATION_FACTOR =
      new Setting<>(
          "FLOWDERS_TOPIC_REPLICATION_FACTOR", POSITIVE_INT, "3", "its replication factor");
  public static final Setting<Integer> TOPIC_MIN_INSYNC_REPLICAS =
      new Setting<>(
          "FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS", POSITIVE_INT, "2", "its `min.insync.replicas`");

  // S3-compatible object store and the Iceberg Hadoop catalog `lake`
  public static final Setting<URI> S3_ENDPOINT =
      new Setting<>("FLOWDERS_S3_ENDPOINT", URL_WITH_PORT, "http://127.0.0.1:9000", "the S3 API");
  public static final Setting<String> S3_ACCESS_KEY =
      new Setting<>("FLOWDERS_S3_ACCESS_KEY", TEXT, "flowders", "S3 access key");
  public static final Setting<String> S3_SECRET_KEY =
      new Setting<>(
          "FLOWDERS_S3_SECRET_KEY",
          SECRET,
          "",
          "S3 secret key: `./flowders up` generates it; blank elsewhere: S3A's default credential"
              + " providers (AWS_* variables, instance or IRSA role)");
  public static final Setting<String> S3_BUCKET =
      new Setting<>(
          "FLOWDERS_S3_BUCKET", TEXT, "warehouse", "the bucket (`warehouse/warehouse/` on disk)");
  public static final Setting<URI> WAREHOUSE =
      new Setting<>(
          "FLOWDERS_WAREHOUSE",
          LOCATION_URI,
          "s3a://warehouse/iceberg",
          "warehouse of the Iceberg Hadoop catalog `lake`");

  // Spark standalone
  public static final Setting<String> SPARK_MASTER_URL =
      new Setting<>(
          "FLOWDERS_SPARK_MASTER", SPARK_MASTER, "spark://127.0.0.1:7077", "the job's master");
  public static final Setting<Integer> SPARK_MASTER_UI_PORT =
      new Setting<>("FLOWDERS_SPARK_MASTER_UI_PORT", PORT, "8090", "master UI");
  public static final Setting<List<Integer>> SPARK_WORKER_UI_PORTS =
      new Setting<>(
          "FLOWDERS_SPARK_WORKER_UI_PORTS", PORTS, "8091,8092", "one per worker: 2 workers");
  public static final Setting<Integer> SPARK_WORKER_CORES =
      new Setting<>("FLOWDERS_SPARK_WORKER_CORES", POSITIVE_INT, "2", "cores per worker");
  public static final Setting<MemorySize> SPARK_WORKER_MEMORY =
      new Setting<>(
          "FLOWDERS_SPARK_WORKER_MEMORY", MEMORY, "2g", "memory a worker offers its executors");
  public static final Setting<Integer> SPARK_EXECUTORS =
      new Setting<>(
          "FLOWDERS_SPARK_EXECUTORS", POSITIVE_INT, "4", "executors of 1 core (`spark.cores.max`)");
  public static final Setting<MemorySize> SPARK_EXECUTOR_MEMORY =
      new Setting<>("FLOWDERS_SPARK_EXECUTOR_MEMORY", MEMORY, "768m", "heap of each executor");
  public static final Setting<Integer> SPARK_UI_PORT =
      new Setting<>("FLOWDERS_SPARK_UI_PORT", PORT, "4040", "the job's app UI");

  /**
   * The shared secret of {@code spark.authenticate}: master, workers and every application of the
   * cluster hold it; an application without it is refused by the master.
   */
  public static final Setting<String> SPARK_AUTH_SECRET =
      new Setting<>(
          "FLOWDERS_SPARK_AUTH_SECRET",
          SECRET,
          "",
          "secret of `spark.authenticate` on the standalone cluster: `./flowders up` generates it;"
              + " blank: no authentication (local mode, or a cluster that brings its own)");

  // The streaming job
  public static final Setting<String> CHECKPOINT =
      new Setting<>(
          "FLOWDERS_CHECKPOINT",
          PATH_OR_URI,
          ".flowders/checkpoints/orders-job",
          "the job's checkpoint: a path (relative: to the repo root) or a URI (`s3a://`, `file:`)");
  public static final Setting<Duration> TRIGGER =
      new Setting<>("FLOWDERS_TRIGGER", DURATION_TYPE, "10 seconds", "micro-batch interval");

  /**
   * One meaning everywhere: the allowed lateness. Each use follows from it: an order older than it
   * is late (still counted, reported, its window reopened; duplicates are found by order id
   * whatever their age); the driver caches the totals of the windows still open to on-time orders,
   * that far back; verify compares only windows that ended that long before the newest order, since
   * later ones may still change.
   */
  public static final Setting<Duration> WATERMARK =
      new Setting<>(
          "FLOWDERS_WATERMARK",
          DURATION_TYPE,
          "1 minute",
          "allowed lateness behind the newest order: older orders are late"
              + " (counted, reported); `verify` compares windows older than the newest order minus"
              + " this");

  public static final Setting<Long> MAX_OFFSETS_PER_TRIGGER =
      new Setting<>(
          "FLOWDERS_MAX_OFFSETS_PER_TRIGGER",
          POSITIVE_LONG,
          "500000",
          "records per micro-batch at most");

  /**
   * How far an order's time may be ahead of its Kafka record's timestamp (the producer's or the
   * broker's clock): the record's timestamp, not the job's clock, so the job, a replay and verify
   * decide the same whenever they run.
   */
  public static final Setting<Duration> MAX_CLOCK_SKEW =
      new Setting<>(
          "FLOWDERS_MAX_CLOCK_SKEW",
          DURATION_TYPE,
          "5 minutes",
          "an order dated more than this after its Kafka record's timestamp is rejected (it would"
              + " move the event-time watermark)");

  public static final Setting<BigDecimal> MAX_AMOUNT =
      new Setting<>(
          "FLOWDERS_MAX_AMOUNT",
          ORDER_AMOUNT,
          "1000000000.00",
          "the largest amount one order may have; larger ones are rejected");

  /**
   * The job driver's own Prometheus endpoint ({@code GET /metrics}): flowders' counters and gauges,
   * beside Spark's, which the app UI serves on {@link #SPARK_UI_PORT}. Bound where the driver's UI
   * is ({@code spark.driver.bindAddress}, else 127.0.0.1).
   */
  public static final Setting<Integer> JOB_METRICS_PORT =
      new Setting<>(
          "FLOWDERS_JOB_METRICS_PORT",
          PORT,
          "9464",
          "the job's Prometheus endpoint (`/metrics`: orders, rejects by rule, lag, freshness)");

  // The producer (its own keys, ORDERS_*, are the producer's Quarkus config)
  public static final Setting<Integer> PRODUCER_PORT =
      new Setting<>("FLOWDERS_PRODUCER_PORT", PORT, "8080", "the producer's HTTP port");

  // Only ./flowders reads these: not in deploy/flowders.env
  public static final Setting<String> STATE_DIR =
      new Setting<>(
          "FLOWDERS_STATE_DIR",
          TEXT,
          ".flowders",
          "where `./flowders` keeps pid files, logs, Kafka data (the end-to-end test moves it)");
  public static final Setting<String> WAREHOUSE_DIR =
      new Setting<>("FLOWDERS_WAREHOUSE_DIR", TEXT, "warehouse", "the S3 server's buckets on disk");
  public static final Setting<String> MVN =
      new Setting<>("FLOWDERS_MVN", TEXT, "mvn", "the Maven that builds missing jars");

  /**
   * The job's supervisor under {@code ./flowders up} waits this long before restarting a job that
   * failed, doubling each time up to {@link #JOB_RESTART_BACKOFF_MAX}; back to this after a run of
   * 10 minutes. Docker compose has its own restart policy (the daemon's backoff).
   */
  public static final Setting<Duration> JOB_RESTART_BACKOFF =
      new Setting<>(
          "FLOWDERS_JOB_RESTART_BACKOFF",
          DURATION_TYPE,
          "5 seconds",
          "`./flowders up` restarts a job that exited non-zero after this, doubling each time; back"
              + " to this after 10 minutes healthy");

  public static final Setting<Duration> JOB_RESTART_BACKOFF_MAX =
      new Setting<>(
          "FLOWDERS_JOB_RESTART_BACKOFF_MAX",
          DURATION_TYPE,
          "2 minutes",
          "the longest wait before such a restart");

  /**
   * Not a setting: where a process finds the repository root, set by {@code ./flowders} for the
   * JVMs it starts; relative locations are under it.
   */
  public static final String HOME = "FLOWDERS_HOME";

  /** Not a setting: where the stack tells the SQL shell to keep its history. */
  public static final String SQL_HISTORY = "FLOWDERS_SQL_HISTORY";

  /** The settings in {@code deploy/flowders.env}, by section, in file order. */
  public static final List<Section> SHARED =
      List.of(
          new Section(
              "Kafka: 3 KRaft nodes, ids 1..3",
              KAFKA_BOOTSTRAP,
              KAFKA_CONTROLLER_PORTS,
              KAFKA_PROPERTIES,
              TOPIC,
              TOPIC_PARTITIONS,
              TOPIC_REPLICATION_FACTOR,
              TOPIC_MIN_INSYNC_REPLICAS),
          new Section(
              "S3-compatible object store and the Iceberg Hadoop catalog `lake`",
              S3_ENDPOINT,
              S3_ACCESS_KEY,
              S3_SECRET_KEY,
              S3_BUCKET,
              WAREHOUSE),
          new Section(
              "Spark standalone: the master, its workers (one per worker UI port), the job's executors",
              SPARK_MASTER_URL,
              SPARK_MASTER_UI_PORT,
              SPARK_WORKER_UI_PORTS,
              SPARK_WORKER_CORES,
              SPARK_WORKER_MEMORY,
              SPARK_EXECUTORS,
              SPARK_EXECUTOR_MEMORY,
              SPARK_UI_PORT,
              SPARK_AUTH_SECRET),
          new Section(
              "The streaming job",
              CHECKPOINT,
              TRIGGER,
              WATERMARK,
              MAX_OFFSETS_PER_TRIGGER,
              MAX_CLOCK_SKEW,
              MAX_AMOUNT,
              JOB_METRICS_PORT),
          new Section(
              "The producer (its own ORDERS_* keys have their defaults in its OrdersConfig)",
              PRODUCER_PORT));

  /** Settings of ./flowders alone (docker compose has no use for them). */
  public static final List<Setting<?>> LOCAL =
      List.of(
          KAFKA_BROKER_PORTS,
          STATE_DIR,
          WAREHOUSE_DIR,
          MVN,
          JOB_RESTART_BACKOFF,
          JOB_RESTART_BACKOFF_MAX);

  /** Every setting: the shared ones in file order, then the local ones. */
  public static final List<Setting<?>> ALL =
      Stream.concat(SHARED.stream().flatMap(s -> s.settings().stream()), LOCAL.stream()).toList();

  private FlowdersSettings() {}

  /** A group of settings, a comment line of its own in {@code deploy/flowders.env}. */
  public record Section(String title, List<Setting<?>> settings) {
    Section(String title, Setting<?>... settings) {
      this(title, List.of(settings));
    }
  }
}
