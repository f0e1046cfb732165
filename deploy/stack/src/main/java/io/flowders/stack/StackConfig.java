package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shared settings of {@code deploy/flowders.env}, which docker compose reads too; an
 * environment variable of the same name overrides a line, so one export changes the stack, the
 * tests and the job alike.
 */
public final class StackConfig {

  public static final String FILE = "deploy/flowders.env";

  public static final String KAFKA_BOOTSTRAP = "FLOWDERS_KAFKA_BOOTSTRAP";
  public static final String KAFKA_CONTROLLER_PORTS = "FLOWDERS_KAFKA_CONTROLLER_PORTS";
  public static final String TOPIC = "FLOWDERS_TOPIC";
  public static final String TOPIC_PARTITIONS = "FLOWDERS_TOPIC_PARTITIONS";
  public static final String TOPIC_REPLICATION_FACTOR = "FLOWDERS_TOPIC_REPLICATION_FACTOR";
  public static final String TOPIC_MIN_INSYNC_REPLICAS = "FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS";
  public static final String S3_ENDPOINT = "FLOWDERS_S3_ENDPOINT";
  public static final String S3_ACCESS_KEY = "FLOWDERS_S3_ACCESS_KEY";
  public static final String S3_SECRET_KEY = "FLOWDERS_S3_SECRET_KEY";
  public static final String S3_BUCKET = "FLOWDERS_S3_BUCKET";
  public static final String WAREHOUSE = "FLOWDERS_WAREHOUSE";
  public static final String SPARK_MASTER = "FLOWDERS_SPARK_MASTER";
  public static final String SPARK_MASTER_UI_PORT = "FLOWDERS_SPARK_MASTER_UI_PORT";
  public static final String SPARK_WORKER_UI_PORTS = "FLOWDERS_SPARK_WORKER_UI_PORTS";
  public static final String SPARK_WORKER_CORES = "FLOWDERS_SPARK_WORKER_CORES";
  public static final String SPARK_WORKER_MEMORY = "FLOWDERS_SPARK_WORKER_MEMORY";

  private final Map<String, String> values;

  private StackConfig(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static StackConfig load() {
    return load(FlowdersHome.resolve(FILE), System.getenv());
  }

  /**
   * The file's lines, then every environment variable named like one of them or starting with
   * FLOWDERS_.
   */
  public static StackConfig load(Path file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        int eq = trimmed.indexOf('=');
        if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
          values.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    env.forEach(
        (key, value) -> {
          if (!value.isBlank() && (values.containsKey(key) || key.startsWith("FLOWDERS_"))) {
            values.put(key, value.strip());
          }
        });
    return new StackConfig(values);
  }

  public Optional<String> find(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public String get(String key) {
    return find(key)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    key + " is not set in " + FILE + " nor in the environment"));
  }

  public int getInt(String key) {
    return parseInt(key, get(key));
  }

  /** A comma-separated value. */
  public List<String> getList(String key) {
    return Arrays.stream(get(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  public List<Integer> getInts(String key) {
    return getList(key).stream().map(v -> parseInt(key, v)).toList();
  }

  public Map<String, String> asMap() {
    return values;
  }

  public String kafkaBootstrap() {
    return get(KAFKA_BOOTSTRAP);
  }

  /** The client ports of nodes 1..n, read from the bootstrap list. */
  public List<Integer> kafkaClientPorts() {
    return getList(KAFKA_BOOTSTRAP).stream()
        .map(
            hostPort ->
                parseInt(KAFKA_BOOTSTRAP, hostPort.substring(hostPort.lastIndexOf(':') + 1)))
        .toList();
  }

  public List<Integer> kafkaControllerPorts() {
    return getInts(KAFKA_CONTROLLER_PORTS);
  }

  public String topic() {
    return get(TOPIC);
  }

  public int topicPartitions() {
    return getInt(TOPIC_PARTITIONS);
  }

  public int topicReplicationFactor() {
    return getInt(TOPIC_REPLICATION_FACTOR);
  }

  public int topicMinInsyncReplicas() {
    return getInt(TOPIC_MIN_INSYNC_REPLICAS);
  }

  public String s3Endpoint() {
    return get(S3_ENDPOINT);
  }

  public int s3Port() {
    return URI.create(s3Endpoint()).getPort();
  }

  public String s3AccessKey() {
    return get(S3_ACCESS_KEY);
  }

  public String s3SecretKey() {
    return get(S3_SECRET_KEY);
  }

  public String s3Bucket() {
    return get(S3_BUCKET);
  }

  public String warehouse() {
    return get(WAREHOUSE);
  }

  public String sparkMaster() {
    return get(SPARK_MASTER);
  }

  public int sparkMasterPort() {
    return URI.create(sparkMaster()).getPort();
  }

  public int sparkMasterUiPort() {
    return getInt(SPARK_MASTER_UI_PORT);
  }

  public List<Integer> sparkWorkerUiPorts() {
    return getInts(SPARK_WORKER_UI_PORTS);
  }

  public int sparkWorkerCores() {
    return getInt(SPARK_WORKER_CORES);
  }

  public String sparkWorkerMemory() {
    return get(SPARK_WORKER_MEMORY);
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalStateException(key + " must be a number, not '" + value + "'", e);
    }
  }
}
