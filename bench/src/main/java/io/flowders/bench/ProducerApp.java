package io.flowders.bench;

import io.flowders.stack.Credentials;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaPrincipal;
import io.flowders.stack.Ports;
import io.flowders.stack.Producer;
import io.flowders.stack.StackLayout;
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

  private final Producer api;
  private final Optional<JvmProcess> process;

  private ProducerApp(Producer api, Optional<JvmProcess> process) {
    this.api = api;
    this.process = process;
  }

  /** The producer of a running stack, driven with its token; {@link #close()} leaves it running. */
  static ProducerApp attach(StackLayout layout) {
    return new ProducerApp(Producer.of(layout), Optional.empty());
  }

  /**
   * A producer of the bench's own, paused, with the JIT and heap a throughput run needs, as the
   * stack's producer principal.
   */
  static ProducerApp start(BenchStack stack, String topic, Path log) {
    return start(stack, stack.bootstrap(), topic, log);
  }

  /** The same, bootstrapped at {@code bootstrap} (a proxied listener of the stack's Kafka). */
  static ProducerApp start(BenchStack stack, String bootstrap, String topic, Path log) {
    int port = Ports.free();
    // A producer of its own gets a rate token of its own, like any other secret of a fixture.
    String rateToken = Credentials.generate();
    JvmProcess process =
        Producer.launcher(
                stack.layout().home(),
                bootstrap,
                topic,
                port,
                Producer.writeConfig(
                    stack.layout().state().resolve("bench-producer.properties"),
                    Optional.of(stack.clientConfig(KafkaPrincipal.PRODUCER)),
                    rateToken))
            .name("bench-producer")
            .heap(BENCH_HEAP)
            .jvmArgs("-Xmn400m", "-XX:+UseParallelGC")
            .env("ORDERS_RATE", "0")
            .logFile(log)
            .start();
    Producer api = new Producer("http://127.0.0.1:" + port, rateToken);
    try {
      process.awaitReady("the producer's HTTP API on port " + port, START_TIMEOUT, api::answers);
    } catch (RuntimeException e) {
      process.kill();
      throw e;
    }
    return new ProducerApp(api, Optional.of(process));
  }

  Optional<Long> pid() {
    return process.map(JvmProcess::pid);
  }

  /** Orders per second, {@code max}, or 0 to pause. */
  void rate(String value) {
    api.rate(value);
  }

  Producer.Stats stats() {
    return api.stats();
  }

  /** Pauses and waits until every sent order has its outcome; returns the final counts. */
  Producer.Stats pause() {
    return api.pause(IDLE_TIMEOUT);
  }

  /** SIGKILL: a crash; the orders it had in flight have no outcome it could tell anyone. */
  void kill() {
    process.ifPresent(JvmProcess::kill);
  }

  @Override
  public void close() {
    process.ifPresent(JvmProcess::close);
  }
}
