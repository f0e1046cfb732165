package io.flowders.job;

import io.flowders.parse.InputRules;
import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.KafkaClientProperties;
import io.flowders.settings.SettingType;
import io.flowders.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The job's view of the settings ({@link FlowdersSettings}, each parsed and checked at load):
 * environment variables over the registry's defaults, then flags.
 *
 * @param kafkaProperties the Kafka client properties file of {@link
 *     FlowdersSettings#KAFKA_PROPERTIES}, resolved; blank: none
 * @param watermark the allowed lateness, one meaning for every use (see {@link
 *     FlowdersSettings#WATERMARK})
 */
public record JobConfig(
    String kafkaBootstrap,
    String kafkaProperties,
    String topic,
    String sparkMaster,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String warehouse,
    String checkpoint,
    Duration trigger,
    Duration watermark,
    long maxOffsetsPerTrigger,
    InputRules inputRules,
    int sparkUiPort,
    int sparkExecutors,
    String sparkExecutorMemory,
    String sparkAuthSecret,
    int metricsPort,
    boolean once) {

  public static final String KAFKA_BOOTSTRAP = FlowdersSettings.KAFKA_BOOTSTRAP.name();
  public static final String TOPIC = FlowdersSettings.TOPIC.name();
  public static final String SPARK_MASTER = FlowdersSettings.SPARK_MASTER_URL.name();
  public static final String S3_ENDPOINT = FlowdersSettings.S3_ENDPOINT.name();
  public static final String S3_ACCESS_KEY = FlowdersSettings.S3_ACCESS_KEY.name();
  public static final String S3_SECRET_KEY = FlowdersSettings.S3_SECRET_KEY.name();
  public static final String SPARK_AUTH_SECRET = FlowdersSettings.SPARK_AUTH_SECRET.name();
  public static final String WAREHOUSE = FlowdersSettings.WAREHOUSE.name();
  public static final String CHECKPOINT = FlowdersSettings.CHECKPOINT.name();
  public static final String TRIGGER = FlowdersSettings.TRIGGER.name();
  public static final String WATERMARK = FlowdersSettings.WATERMARK.name();
  public static final String MAX_OFFSETS_PER_TRIGGER =
      FlowdersSettings.MAX_OFFSETS_PER_TRIGGER.name();
  public static final String METRICS_PORT = FlowdersSettings.JOB_METRICS_PORT.name();

  /** Relative checkpoint paths are resolved against the repo root when it is known. */
  public static final String HOME = FlowdersSettings.HOME;

  public static final String USAGE =
      "usage: OrdersJob [--once] [--master URL]\n"
          + "  --once        process what the topic holds now, commit, exit 0 (Trigger.AvailableNow)\n"
          + "  --master URL  Spark master (default: spark-submit's, else FLOWDERS_SPARK_MASTER)\n"
          + "settings: the FLOWDERS_* environment variables (README, Configuration)";

  /** The process's own settings: {@code System.getenv()} over the defaults, then flags. */
  public static JobConfig fromEnvironment(String... args) {
    return load(System.getenv(), args);
  }

  public static JobConfig load(Map<String, String> overrides, String... args) {
    Map<String, String> env = new HashMap<>(overrides);
    boolean once = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> once = true;
        case "--master" -> {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--master needs a URL\n" + USAGE);
          }
          env.put(SPARK_MASTER, args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
      }
    }
    Settings settings = Settings.load(env);
    String kafkaProperties = settings.get(FlowdersSettings.KAFKA_PROPERTIES);
    return new JobConfig(
        settings.text(FlowdersSettings.KAFKA_BOOTSTRAP),
        kafkaProperties.isBlank()
            ? ""
            : SettingType.resolveLocation(kafkaProperties, env.get(HOME)),
        settings.get(FlowdersSettings.TOPIC),
        settings.get(FlowdersSettings.SPARK_MASTER_URL),
        settings.text(FlowdersSettings.S3_ENDPOINT),
        settings.get(FlowdersSettings.S3_ACCESS_KEY),
        settings.get(FlowdersSettings.S3_SECRET_KEY),
        settings.text(FlowdersSettings.WAREHOUSE),
        SettingType.resolveLocation(settings.get(FlowdersSettings.CHECKPOINT), env.get(HOME)),
        settings.get(FlowdersSettings.TRIGGER),
        settings.get(FlowdersSettings.WATERMARK),
        settings.get(FlowdersSettings.MAX_OFFSETS_PER_TRIGGER),
        new InputRules(
            settings.get(FlowdersSettings.MAX_CLOCK_SKEW),
            settings.get(FlowdersSettings.MAX_AMOUNT)),
        settings.get(FlowdersSettings.SPARK_UI_PORT),
        settings.get(FlowdersSettings.SPARK_EXECUTORS),
        settings.text(FlowdersSettings.SPARK_EXECUTOR_MEMORY),
        settings.get(FlowdersSettings.SPARK_AUTH_SECRET),
        settings.get(FlowdersSettings.JOB_METRICS_PORT),
        once);
  }

  /**
   * The Kafka source's client options ({@code kafka.<key>}) from {@link #kafkaProperties}: how the
   * job and verify authenticate; read when a Kafka source is built, so that the SQL shell does not
   * need the file.
   */
  public Map<String, String> kafkaOptions() {
    Map<String, String> options = new TreeMap<>();
    if (!kafkaProperties.isBlank()) {
      KafkaClientProperties.read(Path.of(kafkaProperties))
          .forEach((key, value) -> options.put("kafka." + key, value));
    }
    return options;
  }

  /** The secrets stay out of logs. */
  @Override
  public String toString() {
    return "JobConfig[kafka="
        + kafkaBootstrap
        + (kafkaProperties.isBlank() ? "" : ", kafkaProperties=" + kafkaProperties)
        + ", topic="
        + topic
        + ", master="
        + sparkMaster
        + ", s3="
        + s3Endpoint
        + ", warehouse="
        + warehouse
        + ", checkpoint="
        + checkpoint
        + ", trigger="
        + (once ? "once (available now)" : trigger)
        + ", watermark="
        + watermark
        + ", maxOffsetsPerTrigger="
        + maxOffsetsPerTrigger
        + ", metricsPort="
        + metricsPort
        + ", "
        + inputRules
        + "]";
  }
}
