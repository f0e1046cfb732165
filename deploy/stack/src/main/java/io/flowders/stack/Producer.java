package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.KafkaClientProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Quarkus producer: how a child JVM of it is launched (./flowders up, the bench) and its HTTP
 * API ({@code GET /orders/stats}, {@code PUT /orders/rate}), read the same way by all of them.
 */
public final class Producer {

  public static final String MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";
  public static final String JAR = "producer-quarkus/target/quarkus-app/quarkus-run.jar";

  /**
   * How a producer finds its config file: Quarkus reads each file this variable lists as one more
   * config location (compose's producer reads the credentials service's file the same way).
   */
  public static final String CONFIG_LOCATIONS_ENV = "QUARKUS_CONFIG_LOCATIONS";

  /** A field of the stats body: the producer writes a flat object of numbers. */
  private static final Pattern NUMBER_FIELD =
      Pattern.compile("\"(\\w+)\"\\s*:\\s*(-?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)");

  private final String url;
  private final String rateToken;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();

  /**
   * The producer serving on {@code url}, e.g. http://127.0.0.1:8080, whose rate changes with {@code
   * rateToken}.
   */
  public Producer(String url, String rateToken) {
    this.url = url;
    this.rateToken = rateToken;
  }

  /** The producer of the stack of {@code layout} (./flowders up's), with the stack's token. */
  public static Producer of(StackLayout layout) {
    return new Producer(
        layout.producerUrl(), layout.credentials().get(Credentials.Secret.PRODUCER_RATE_TOKEN));
  }

  /**
   * A producer of the repository at {@code home} sending to {@code topic} on {@code bootstrap}, its
   * HTTP API on {@code port}, reading its Kafka login and rate token from {@code config} (see
   * {@link #writeConfig}): secrets live in that owner-only file, never on the command line or in
   * the environment. The caller adds heap, rate, log and lifetime.
   */
  public static JvmProcess.Builder launcher(
      Path home, String bootstrap, String topic, int port, Path config) {
    Path jar = home.resolve(JAR);
    if (!Files.isRegularFile(jar)) {
      throw new StackException(jar + " is missing: run ./flowders build");
    }
    return JvmProcess.builder(MAIN)
        .name(StackLayout.PRODUCER)
        .classpath(jar.toString())
        .env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
        .env(StackConfig.KAFKA_BOOTSTRAP, bootstrap)
        .env(StackConfig.TOPIC, topic)
        .env(FlowdersSettings.PRODUCER_PORT.name(), Integer.toString(port))
        .env(CONFIG_LOCATIONS_ENV, config.toAbsolutePath().toString());
  }

  /**
   * Writes a producer's config file (owner-only), which Quarkus reads as one more config location:
   * the Kafka client keys of {@code kafkaClientConfig} (a principal's properties file; none:
   * PLAINTEXT) as the {@code kafka.*} keys Quarkus hands its Kafka clients, and {@code
   * orders.rate-token}, the bearer token of {@code PUT /orders/rate}.
   */
  public static Path writeConfig(Path file, Optional<Path> kafkaClientConfig, String rateToken) {
    Map<String, String> keys = new TreeMap<>();
    kafkaClientConfig
        .map(KafkaClientProperties::read)
        .ifPresent(config -> config.forEach((key, value) -> keys.put("kafka." + key, value)));
    keys.put("orders.rate-token", rateToken);
    StringBuilder text =
        new StringBuilder(
            "# The producer's Kafka login and rate token, written by ./flowders at each start"
                + " (owner-only); Quarkus reads it through "
                + CONFIG_LOCATIONS_ENV
                + ".\n");
    keys.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return Folders.write(file, text.toString());
  }

  public String url() {
    return url;
  }

  /** {@code GET /orders/stats}; throws while the producer does not answer. */
  public Stats stats() {
    return Stats.parse(send(HttpRequest.newBuilder(URI.create(url + "/orders/stats")).GET()));
  }

  /** Whether the producer answers its HTTP API. */
  public boolean answers() {
    try {
      stats();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Orders per second, {@code max}, or 0 to pause. */
  public void rate(String value) {
    send(
        HttpRequest.newBuilder(URI.create(url + "/orders/rate?value=" + value))
            .header("Authorization", "Bearer " + rateToken)
            .PUT(HttpRequest.BodyPublishers.noBody()));
  }

  /**
   * How a user changes the rate of the stack's producer from a shell, e.g. in ./flowders up's
   * summary: the token read by {@code ./flowders credentials}, never printed.
   */
  public static String rateCommand(String url, String ordersPerSecond) {
    return "curl -X PUT -H \"Authorization: Bearer $(./flowders credentials "
        + Credentials.Secret.PRODUCER_RATE_TOKEN.key()
        + ")\" '"
        + url
        + "/orders/rate?value="
        + ordersPerSecond
        + "'";
  }

  /** Pauses and waits until every sent order has its outcome; returns the final counts. */
  public Stats pause(Duration timeout) {
    rate("0");
    Await.until(
        "the producer's orders in flight to be acknowledged",
        timeout,
        () -> stats().inFlight() == 0);
    return stats();
  }

  private String send(HttpRequest.Builder builder) {
    HttpRequest request = builder.timeout(Duration.ofSeconds(10)).build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri()
                + ": HTTP "
                + response.statusCode()
                + " "
                + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new IllegalStateException(
          request.method() + " " + request.uri() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The body of {@code GET /orders/stats}; {@code rate} is orders per second, -1 for max. */
  public record Stats(long sent, long acknowledged, long failed, double rate, long inFlight) {

    /** Reads the producer's JSON; throws naming what is missing. */
    public static Stats parse(String json) {
      Map<String, String> fields = new HashMap<>();
      Matcher m = NUMBER_FIELD.matcher(json);
      while (m.find()) {
        fields.put(m.group(1), m.group(2));
      }
      return new Stats(
          Long.parseLong(field(fields, "sent", json)),
          Long.parseLong(field(fields, "acknowledged", json)),
          Long.parseLong(field(fields, "failed", json)),
          Double.parseDouble(field(fields, "rate", json)),
          Long.parseLong(field(fields, "inFlight", json)));
    }

    private static String field(Map<String, String> fields, String name, String json) {
      String value = fields.get(name);
      if (value == null) {
        throw new IllegalStateException(
            "no number \"" + name + "\" in the producer's stats: " + json);
      }
      return value;
    }
  }
}
