package io.flowders.job;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job's settings: defaults from deploy/flowders.env (packaged in the jar, the stack's one
 * source of truth), overridden by environment variables of the same name, then by flags.
 */
public record JobConfig(
    String kafkaBootstrap,
    String topic,
    String sparkMaster,
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String warehouse,
    String checkpoint,
    String trigger,
    Duration watermark,
    long maxOffsetsPerTrigger,
    int sparkUiPort,
    int sparkExecutors,
    String sparkExecutorMemory,
    boolean once) {

  public static final String ENV_RESOURCE = "/flowders.env";
  public static final String KAFKA_BOOTSTRAP = "FLOWDERS_KAFKA_BOOTSTRAP";
  public static final String TOPIC = "FLOWDERS_TOPIC";
  public static final String SPARK_MASTER = "FLOWDERS_SPARK_MASTER";
  public static final String S3_ENDPOINT = "FLOWDERS_S3_ENDPOINT";
  public static final String S3_ACCESS_KEY = "FLOWDERS_S3_ACCESS_KEY";
  public static final String S3_SECRET_KEY = "FLOWDERS_S3_SECRET_KEY";
  public static final String WAREHOUSE = "FLOWDERS_WAREHOUSE";
  public static final String CHECKPOINT = "FLOWDERS_CHECKPOINT";
  public static final String TRIGGER = "FLOWDERS_TRIGGER";
  public static final String WATERMARK = "FLOWDERS_WATERMARK";
  public static final String MAX_OFFSETS_PER_TRIGGER = "FLOWDERS_MAX_OFFSETS_PER_TRIGGER";
  public static final String SPARK_UI_PORT = "FLOWDERS_SPARK_UI_PORT";
  public static final String SPARK_EXECUTORS = "FLOWDERS_SPARK_EXECUTORS";
  public static final String SPARK_EXECUTOR_MEMORY = "FLOWDERS_SPARK_EXECUTOR_MEMORY";

  /** Relative checkpoint paths are resolved against the repo root when it is known. */
  public static final String HOME = "FLOWDERS_HOME";

  public static final String USAGE =
      "usage: OrdersJob [--once] [--master URL]\n"
          + "  --once        process what the topic holds now, commit, exit 0 (Trigger.AvailableNow)\n"
          + "  --master URL  Spark master (default: spark-submit's, else FLOWDERS_SPARK_MASTER)\n"
          + "settings: the FLOWDERS_* environment variables, defaults in deploy/flowders.env";

  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)");

  /** The process's own settings: packaged defaults, then {@code System.getenv()}, then flags. */
  public static JobConfig fromEnvironment(String... args) {
    return load(System.getenv(), args);
  }

  public static JobConfig load(Map<String, String> overrides, String... args) {
    Map<String, String> settings = new HashMap<>(packagedDefaults());
    overrides.forEach(
        (key, value) -> {
          if (key.startsWith("FLOWDERS_")) {
            settings.put(key, value);
          }
        });
    boolean once = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--once" -> once = true;
        case "--master" -> {
          if (i + 1 == args.length) {
            throw new IllegalArgumentException("--master needs a URL\n" + USAGE);
          }
          settings.put(SPARK_MASTER, args[++i]);
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
      }
    }
    return new JobConfig(
        required(settings, KAFKA_BOOTSTRAP),
        required(settings, TOPIC),
        required(settings, SPARK_MASTER),
        required(settings, S3_ENDPOINT),
        required(settings, S3_ACCESS_KEY),
        required(settings, S3_SECRET_KEY),
        required(settings, WAREHOUSE),
        resolveCheckpoint(required(settings, CHECKPOINT), settings.get(HOME)),
        required(settings, TRIGGER),
        parseDuration(required(settings, WATERMARK)),
        Long.parseLong(required(settings, MAX_OFFSETS_PER_TRIGGER)),
        Integer.parseInt(required(settings, SPARK_UI_PORT)),
        Integer.parseInt(required(settings, SPARK_EXECUTORS)),
        required(settings, SPARK_EXECUTOR_MEMORY),
        once);
  }

  /** "1 minute", "10 seconds", "90s", "500 ms": the units Spark's trigger strings use. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (e.g. '1 minute', '30 seconds')");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2);
    if (unit.startsWith("ms") || unit.startsWith("milli")) {
      return Duration.ofMillis(amount);
    }
    return switch (unit.charAt(0)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }

  static Map<String, String> packagedDefaults() {
    try (InputStream in = JobConfig.class.getResourceAsStream(ENV_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(ENV_RESOURCE + " is missing from the classpath");
      }
      return parseEnvFile(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> parseEnvFile(BufferedReader reader) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      String trimmed = line.trim();
      int eq = trimmed.indexOf('=');
      if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
        values.put(trimmed.substring(0, eq).trim(), trimmed.substring(eq + 1).trim());
      }
    }
    return values;
  }

  private static String resolveCheckpoint(String checkpoint, String home) {
    boolean hasScheme = checkpoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    if (hasScheme || Path.of(checkpoint).isAbsolute() || home == null || home.isBlank()) {
      return checkpoint;
    }
    return Path.of(home).resolve(checkpoint).toString();
  }

  private static String required(Map<String, String> settings, String key) {
    String value = settings.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is not set (deploy/flowders.env or environment)");
    }
    return value;
  }

  /** The secret stays out of logs. */
  @Override
  public String toString() {
    return "JobConfig[kafka="
        + kafkaBootstrap
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
        + "]";
  }
}
