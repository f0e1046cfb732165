package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.Settings;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The stack's view of the settings ({@link FlowdersSettings}, checked at load): the environment
 * over the registry's defaults, so one export changes the stack, the tests and the job alike.
 */
public final class StackConfig {

  public static final String KAFKA_BOOTSTRAP = FlowdersSettings.KAFKA_BOOTSTRAP.name();
  public static final String TOPIC = FlowdersSettings.TOPIC.name();
  public static final String TOPIC_PARTITIONS = FlowdersSettings.TOPIC_PARTITIONS.name();
  public static final String S3_ENDPOINT = FlowdersSettings.S3_ENDPOINT.name();
  public static final String S3_ACCESS_KEY = FlowdersSettings.S3_ACCESS_KEY.name();
  public static final String S3_SECRET_KEY = FlowdersSettings.S3_SECRET_KEY.name();
  public static final String SPARK_MASTER = FlowdersSettings.SPARK_MASTER_URL.name();

  private final Settings settings;

  private StackConfig(Settings settings) {
    this.settings = settings;
  }

  public static StackConfig load() {
    return load(System.getenv());
  }

  /** {@code env} over the defaults; an invalid value fails here, naming the setting. */
  public static StackConfig load(Map<String, String> env) {
    return new StackConfig(Settings.load(env));
  }

  public Settings settings() {
    return settings;
  }

  /** Every setting as an environment variable, for the processes the stack starts. */
  public Map<String, String> asMap() {
    return settings.asEnvironment();
  }

  public String kafkaBootstrap() {
    return settings.text(FlowdersSettings.KAFKA_BOOTSTRAP);
  }

  /** The client ports of nodes 1..n, read from the bootstrap list. */
  public List<Integer> kafkaClientPorts() {
    return settings.get(FlowdersSettings.KAFKA_BOOTSTRAP).stream().map(URI::getPort).toList();
  }

  public List<Integer> kafkaControllerPorts() {
    return settings.get(FlowdersSettings.KAFKA_CONTROLLER_PORTS);
  }

  public String topic() {
    return settings.get(FlowdersSettings.TOPIC);
  }

  public int topicPartitions() {
    return settings.get(FlowdersSettings.TOPIC_PARTITIONS);
  }

  public int topicReplicationFactor() {
    return settings.get(FlowdersSettings.TOPIC_REPLICATION_FACTOR);
  }

  public int topicMinInsyncReplicas() {
    return settings.get(FlowdersSettings.TOPIC_MIN_INSYNC_REPLICAS);
  }

  public String s3Endpoint() {
    return settings.text(FlowdersSettings.S3_ENDPOINT);
  }

  public int s3Port() {
    return settings.get(FlowdersSettings.S3_ENDPOINT).getPort();
  }

  public String s3AccessKey() {
    return settings.get(FlowdersSettings.S3_ACCESS_KEY);
  }

  public String s3SecretKey() {
    return settings.get(FlowdersSettings.S3_SECRET_KEY);
  }

  public String s3Bucket() {
    return settings.get(FlowdersSettings.S3_BUCKET);
  }

  public String warehouse() {
    return settings.text(FlowdersSettings.WAREHOUSE);
  }

  public String sparkMaster() {
    return settings.get(FlowdersSettings.SPARK_MASTER_URL);
  }

  public int sparkMasterPort() {
    return URI.create(sparkMaster()).getPort();
  }

  public int sparkMasterUiPort() {
    return settings.get(FlowdersSettings.SPARK_MASTER_UI_PORT);
  }

  public List<Integer> sparkWorkerUiPorts() {
    return settings.get(FlowdersSettings.SPARK_WORKER_UI_PORTS);
  }

  public int sparkWorkerCores() {
    return settings.get(FlowdersSettings.SPARK_WORKER_CORES);
  }

  public String sparkWorkerMemory() {
    return settings.text(FlowdersSettings.SPARK_WORKER_MEMORY);
  }

  public int sparkExecutors() {
    return settings.get(FlowdersSettings.SPARK_EXECUTORS);
  }

  public long sparkExecutorMemoryBytes() {
    return settings.get(FlowdersSettings.SPARK_EXECUTOR_MEMORY).bytes();
  }

  /** The job's micro-batch interval as the user wrote it ("10 seconds"). */
  public String trigger() {
    return settings.text(FlowdersSettings.TRIGGER);
  }
}
