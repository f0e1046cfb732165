package io.flowders.settings;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a setting's text becomes a value: one parser per kind of value, each able to say what a valid
 * value looks like, so a bad value fails at load with a message that tells the user what to write.
 *
 * @param expected what a valid value looks like, for error messages and the README
 */
public record SettingType<T>(String expected, Function<String, T> parser) {

  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?|h|hours?)");
  private static final Pattern SPARK_MASTER_URL =
      Pattern.compile("spark://[^:/]+:\\d+|local(\\[(\\d+|\\*)])?");
  private static final Pattern URI_SCHEME = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:.*");

  /** Any text that is not blank. */
  public static final SettingType<String> TEXT = new SettingType<>("any text", text -> text);

  /**
   * A password or key: any text; blank means none (the default of every secret: none is committed,
   * each stack generates its own).
   */
  public static final SettingType<String> SECRET =
      new SettingType<>("a secret (any text); blank: none", text -> text);

  public static final SettingType<Integer> POSITIVE_INT =
      new SettingType<>("a whole number of 1 or more, e.g. 4", text -> positive(text, 1));

  public static final SettingType<Long> POSITIVE_LONG =
      new SettingType<>(
          "a whole number of 1 or more, e.g. 500000",
          text -> {
            long value = Long.parseLong(text);
            if (value < 1) {
              throw new IllegalArgumentException("below 1");
            }
            return value;
          });

  public static final SettingType<Integer> PORT =
      new SettingType<>("a TCP port, 1..65535, e.g. 8080", SettingType::port);

  public static final SettingType<List<Integer>> PORTS =
      new SettingType<>(
          "TCP ports separated by commas, e.g. 8091,8092",
          text -> items(text).stream().map(SettingType::port).toList());

  /** {@code host:port,host:port}: Kafka's bootstrap list. */
  public static final SettingType<List<URI>> HOST_PORTS =
      new SettingType<>(
          "host:port pairs separated by commas, e.g. 127.0.0.1:9092,127.0.0.1:9093",
          text -> items(text).stream().map(item -> withPort(uri("tcp://" + item))).toList());

  /** An absolute URL with a host and an explicit port, e.g. an S3 endpoint. */
  public static final SettingType<URI> URL_WITH_PORT =
      new SettingType<>(
          "a URL with a host and a port, e.g. http://127.0.0.1:9000", text -> withPort(uri(text)));

  /** A location with a scheme, as Iceberg and Hadoop take it: {@code s3a://bucket/path}. */
  public static final SettingType<URI> LOCATION_URI =
      new SettingType<>(
          "a URI with a scheme, e.g. s3a://warehouse/iceberg or file:///tmp/warehouse",
          text -> {
            URI uri = uri(text);
            if (uri.getScheme() == null) {
              throw new IllegalArgumentException("no scheme");
            }
            return uri;
          });

  /** Where Spark runs the job: the standalone master or an in-process one (tests, benches). */
  public static final SettingType<String> SPARK_MASTER =
      new SettingType<>(
          "spark://host:port, local, local[N] or local[*]",
          text -> {
            if (!SPARK_MASTER_URL.matcher(text).matches()) {
              throw new IllegalArgumentException("not a master URL");
            }
            return text;
          });

  /** Spark's interval syntax, which its triggers and watermarks take as well. */
  public static final SettingType<Duration> DURATION_TYPE =
      new SettingType<>(
          "a duration such as 10 seconds, 1 minute, 90s, 500 ms or 2 hours", SettingType::duration);

  /**
   * An amount of money per order: positive, at most 2 decimals, and small enough for the ledger's
   * DECIMAL(18,2) column.
   */
  public static final SettingType<BigDecimal> ORDER_AMOUNT =
      new SettingType<>(
          "an amount > 0 with at most 2 decimals and 16 digits before the point, e.g. 1000000000.00",
          text -> {
            BigDecimal value = new BigDecimal(text.strip());
            if (value.signum() <= 0
                || value.stripTrailingZeros().scale() > 2
                || value.setScale(2, RoundingMode.UNNECESSARY).precision() > 18) {
              throw new IllegalArgumentException("not an order amount");
            }
            return value.setScale(2, RoundingMode.UNNECESSARY);
          });

  /** A JVM/Spark memory size: kept as written (Spark takes the text), checked at load. */
  public static final SettingType<MemorySize> MEMORY =
      new SettingType<>("a memory size such as 768m, 2g or 512k", MemorySize::parse);

  /**
   * A folder or a URI: a plain relative path is under the repository root (see {@link
   * #resolveLocation}).
   */
  public static final SettingType<String> PATH_OR_URI =
      new SettingType<>(
          "a path (relative: to the repository root) or a URI such as s3a://bucket/path",
          text -> text);

  /** A file: a relative path is under the repository root; blank means none. */
  public static final SettingType<String> OPTIONAL_FILE =
      new SettingType<>(
          "a file path (relative: to the repository root); blank: none", text -> text);

  /** "1 minute", "10 seconds", "90s", "500 ms": the units Spark's interval strings use. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
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

  /**
   * A location as a process started in {@code home} should use it: URIs (s3a://, file:) and
   * absolute paths as they are, relative paths under {@code home} (when it is known).
   */
  public static String resolveLocation(String location, String home) {
    boolean hasScheme = URI_SCHEME.matcher(location).matches() && location.indexOf(':') > 1;
    if (hasScheme || Path.of(location).isAbsolute() || home == null || home.isBlank()) {
      return location;
    }
    return Path.of(home).resolve(location).normalize().toString();
  }

  T parse(String text) {
    return parser.apply(text);
  }

  private static int positive(String text, int min) {
    int value = Integer.parseInt(text);
    if (value < min) {
      throw new IllegalArgumentException("below " + min);
    }
    return value;
  }

  private static int port(String text) {
    int value = Integer.parseInt(text.strip());
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("not a port");
    }
    return value;
  }

  private static List<String> items(String text) {
    List<String> items =
        Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    if (items.isEmpty()) {
      throw new IllegalArgumentException("empty list");
    }
    return items;
  }

  private static URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static URI withPort(URI uri) {
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("no host or port");
    }
    return uri;
  }
}
