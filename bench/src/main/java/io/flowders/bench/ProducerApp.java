package io.flowders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.Await;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.LocalStack;
import io.flowders.stack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Quarkus producer, driven over its HTTP API: one the bench starts on a topic of its own, or
 * the running stack's (attach).
 */
final class ProducerApp implements AutoCloseable {

  /** Heap for max rate: with the stack's 256m the young generation, not Kafka, sets the pace. */
  static final String BENCH_HEAP = "768m";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final Optional<JvmProcess> process;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ProducerApp(String url, Optional<JvmProcess> process) {
    this.url = url;
    this.process = process;
  }

  /** The producer of a running stack; {@link #close()} leaves it running. */
  static ProducerApp attach(String url) {
    return new ProducerApp(url, Optional.empty());
  }

  /** A producer of the bench's own, paused, with the JIT and heap a throughput run needs. */
  static ProducerApp start(Path home, String bootstrap, String topic, Path log) {
    Path jar = home.resolve(LocalStack.PRODUCER_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: run ./flowders build");
    }
    int port = Ports.free();
    JvmProcess process =
        JvmProcess.builder(LocalStack.PRODUCER_MAIN)
            .name("bench-producer")
            .classpath(jar.toString())
            .heap(BENCH_HEAP)
            .jvmArgs("-Xmn400m", "-XX:+UseParallelGC")
            .env("KAFKA_BOOTSTRAP_SERVERS", bootstrap)
            .env(FlowdersSettings.KAFKA_BOOTSTRAP.name(), bootstrap)
            .env(FlowdersSettings.TOPIC.name(), topic)
            .env(FlowdersSettings.PRODUCER_PORT.name(), Integer.toString(port))
            .env("ORDERS_RATE", "0")
            .logFile(log)
            .start();
    ProducerApp app = new ProducerApp("http://127.0.0.1:" + port, Optional.of(process));
    try {
      process.awaitReady("the producer's HTTP API on port " + port, START_TIMEOUT, app::answers);
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
    return app;
  }

  Optional<Long> pid() {
    return process.map(JvmProcess::pid);
  }

  /** Orders per second, {@code max}, or 0 to pause. */
  void rate(String value) {
    send(
        HttpRequest.newBuilder(URI.create(url + "/orders/rate?value=" + value))
            .PUT(HttpRequest.BodyPublishers.noBody())
            .build());
  }

  Stats stats() {
    JsonNode json =
        readJson(send(HttpRequest.newBuilder(URI.create(url + "/orders/stats")).GET().build()));
    return new Stats(
        json.path("sent").asLong(),
        json.path("acknowledged").asLong(),
        json.path("failed").asLong(),
        json.path("rate").asDouble(),
        json.path("inFlight").asLong());
  }

  /** Pauses and waits until every sent order has its outcome; returns the final counts. */
  Stats pause() {
    rate("0");
    Await.until(
        "the producer's orders in flight to be acknowledged",
        IDLE_TIMEOUT,
        () -> stats().inFlight() == 0);
    return stats();
  }

  @Override
  public void close() {
    process.ifPresent(p -> p.stop(Duration.ofSeconds(30)));
  }

  private boolean answers() {
    try {
      stats();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String send(HttpRequest request) {
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

  private static JsonNode readJson(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("not JSON: " + body, e);
    }
  }

  record Stats(long sent, long acknowledged, long failed, double rate, long inFlight) {}
}
