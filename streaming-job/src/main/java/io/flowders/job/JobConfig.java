package io.flowders.job;

import io.flowders.parse.InputRules;
import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.KafkaClientProperties;
import io.flowders.settings.Setting;
import io.flowders.settings.SettingType;
import io.flowders.settings.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The job's view of the settings ({@link FlowdersSettings}, each parsed and checked at load):
 * environment variables over the registry's defaults, then the {@code spark.flowders.*} Spark conf
 * (see {@link #CONF_PREFIX}), then flags.
 *
 * @param kafkaProperties the Kafka client properties file of {@link
 *     FlowdersSettings#KAFKA_PROPERTIES}, resolved; blank: none
 * @param kafkaConf Kafka client properties from the Spark conf ({@link #KAFKA_CONF_PREFIX}), over
 *     the file's
 * @param watermark the allowed lateness, one meaning for every use (see {@link
 *     FlowdersSettings#WATERMARK})
 */
public record JobConfig(
    String kafkaBootstrap,
    String kafkaProperties,
    Map<String, String> kafkaConf,
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

  /**
   * Where the settings come from when the driver's environment is out of reach (spark-submit with
   * {@code --conf}s only, a cluster's driver): {@code spark.flowders.<name>}, the setting's name
   * without {@code FLOWDERS_} in camel case (FLOWDERS_KAFKA_BOOTSTRAP: {@code
   * spark.flowders.kafkaBootstrap}), in any Spark conf source ({@code --conf}, {@code
   * --properties-file}, spark-defaults.conf). Spark keeps only {@code spark.*} keys, hence the
   * prefix; it wins over the environment, as an explicit {@code --conf} does in Spark.
   */
  public static final String CONF_PREFIX = "spark.flowders.";

  /**
   * {@code spark.flowders.kafka.<key>}: one Kafka client property (security.protocol, ssl.*,
   * sasl.*), given to the Kafka source as {@code kafka.<key>}, over the {@link
   * FlowdersSettings#KAFKA_PROPERTIES} file's.
   */
  public static final String KAFKA_CONF_PREFIX = CONF_PREFIX + "kafka.";

  /** spark-submit's --master, which the job follows unless --master is given to the job itself. */
  static final String SPARK_MASTER_CONF = "spark.master";

  private static final Map<String, Setting<?>> BY_CONF_KEY =
      FlowdersSettings.ALL.stream()
          .collect(Collectors.toMap(JobConfig::confKey, Function.identity()));

  public static final String USAGE =
      "usage: OrdersJob [--once] [--master URL]\n"
          + "  --once        process what the topic holds now, commit, exit 0 (Trigger.AvailableNow)\n"
          + "  --master URL  Spark master (default: spark-submit's, else FLOWDERS_SPARK_MASTER)\n"
          + "settings: the FLOWDERS_* environment variables, or --conf "
          + CONF_PREFIX
          + "<name in camel case> (README, Configuration and Run on your cluster)";

  /**
   * The process's own settings: {@code System.getenv()} over the defaults, then the Spark conf that
   * spark-submit passes as {@code spark.*} system properties, then flags.
   */
  public static JobConfig fromEnvironment(String... args) {
    Map<String, String> sparkConf = new TreeMap<>();
    System.getProperties()
        .forEach(
            (key, value) -> {
              if (key instanceof String name && name.startsWith("spark.")) {
                sparkConf.put(name, String.valueOf(value));
              }
            });
    return load(System.getenv(), sparkConf, args);
  }

  public static JobConfig load(Map<String, String> overrides, String... args) {
    return load(overrides, Map.of(), args);
  }

  /**
   * {@code overrides} (the environment) over the defaults, then {@code sparkConf}'s {@code
   * spark.master} and {@link #CONF_PREFIX} keys, then flags. An unknown {@code spark.flowders.*}
   * key fails: a misspelt setting would otherwise be ignored.
   */
  public static JobConfig load(
      Map<String, String> overrides, Map<String, String> sparkConf, String... args) {
    Map<String, String> env = new HashMap<>(overrides);
    Map<String, String> kafkaConf = new TreeMap<>();
    List<String> unknown = new ArrayList<>();
    sparkConf.forEach(
        (key, value) -> {
          if (key.equals(SPARK_MASTER_CONF)) {
            env.put(SPARK_MASTER, value);
          } else if (key.startsWith(KAFKA_CONF_PREFIX)) {
            kafkaConf.put(key.substring(KAFKA_CONF_PREFIX.length()), value);
          } else if (key.startsWith(CONF_PREFIX)) {
            Setting<?> setting = BY_CONF_KEY.get(key);
            if (setting == null) {
              unknown.add(key);
            } else {
              env.put(setting.name(), value);
            }
          }
        });
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown setting "
              + String.join(", ", unknown)
              + ": the settings are "
              + String.join(", ", new TreeMap<>(BY_CONF_KEY).keySet())
              + ", and "
              + KAFKA_CONF_PREFIX
              + "<Kafka client property>\n"
              + USAGE);
    }
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
        Collections.unmodifiableMap(kafkaConf),
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
   * The Kafka source's client options ({@code kafka.<key>}) from {@link #kafkaProperties}, then
   * {@link #kafkaConf}: how the job and verify authenticate; read when a Kafka source is built, so
   * that the SQL shell does not need the file.
   */
  public Map<String, String> kafkaOptions() {
    Map<String, String> options = new TreeMap<>();
    if (!kafkaProperties.isBlank()) {
      KafkaClientProperties.read(Path.of(kafkaProperties))
          .forEach((key, value) -> options.put("kafka." + key, value));
    }
    kafkaConf.forEach((key, value) -> options.put("kafka." + key, value));
    return options;
  }

  /** The Spark conf key of a setting ({@link #CONF_PREFIX}). */
  public static String confKey(Setting<?> setting) {
    String[] words =
        setting.name().substring("FLOWDERS_".length()).toLowerCase(Locale.ROOT).split("_");
    StringBuilder key = new StringBuilder(CONF_PREFIX).append(words[0]);
    for (int i = 1; i < words.length; i++) {
      key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return key.toString();
  }

  /** The secrets stay out of logs. */
  @Override
  public String toString() {
    return "JobConfig[kafka="
        + kafkaBootstrap
        + (kafkaProperties.isBlank() ? "" : ", kafkaProperties=" + kafkaProperties)
        + (kafkaConf.isEmpty() ? "" : ", kafkaConf=" + kafkaConf.keySet())
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
