package io.flowders.bench;

import io.flowders.stack.Producer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Quarkus producer at max rate against ProducerPerformance on the same cluster, same record
 * size and delivery settings, each on a topic of its own, interleaved (A B, B A, A B...).
 */
final class ProducerBench {

  /** A typical order's key and value: what ProducerPerformance sends as a payload of this size. */
  static final String TYPICAL_KEY = "CUS_7";

  static final String TYPICAL_VALUE =
      "{\"order_id\":7262397419593662465,\"customer_id\":\"CUS_7\",\"amount\":608.21,\"timestamp\":\"2026-11-27T02:30:05.425770Z\"}";
  static final int RECORD_SIZE = TYPICAL_KEY.length() + TYPICAL_VALUE.length();
  private static final Duration WARM_UP = Duration.ofSeconds(5);

  private ProducerBench() {}

  record Result(Samples quarkus, Samples reference, int recordSize, int seconds) {
    double ratio() {
      return quarkus.median() / reference.median();
    }
  }

  static Result run(
      BenchStack stack, BenchOptions options, String prefix, Path logs, PrintStream out)
      throws InterruptedException {
    String quarkusTopic = prefix + "-producer";
    String referenceTopic = prefix + "-producer-perf";
    stack.createTopic(quarkusTopic);
    stack.createTopic(referenceTopic);
    Samples quarkus = Samples.of();
    Samples reference = Samples.of();
    try (ProducerApp app =
        ProducerApp.start(stack, quarkusTopic, logs.resolve("producer-max.log"))) {
      for (int r = 0; r < options.repeats(); r++) {
        boolean quarkusFirst = r % 2 == 0;
        for (int step = 0; step < 2; step++) {
          if ((step == 0) == quarkusFirst) {
            double rate = maxRate(app, options.producerSeconds());
            quarkus = quarkus.with(rate);
            out.printf("  producer run %d: Quarkus producer %,.0f orders/s%n", r + 1, rate);
          } else {
            long records =
                Math.max(
                    200_000,
                    Math.round(Math.max(quarkus.median(), 100_000) * options.producerSeconds()));
            double rate =
                KafkaTools.producerPerformance(stack, referenceTopic, records, RECORD_SIZE);
            reference = reference.with(rate);
            out.printf(
                "  producer run %d: ProducerPerformance %,.0f records/s (%,d records of %d B)%n",
                r + 1, rate, records, RECORD_SIZE);
          }
        }
      }
    }
    return new Result(quarkus, reference, RECORD_SIZE, options.producerSeconds());
  }

  /** Acknowledged orders per second over {@code seconds}, after a warm-up at the same rate. */
  private static double maxRate(ProducerApp app, int seconds) throws InterruptedException {
    app.rate("max");
    Thread.sleep(WARM_UP.toMillis());
    Producer.Stats before = app.stats();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    Producer.Stats after = app.stats();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Producer.Stats paused = app.pause();
    if (paused.failed() > 0) {
      throw new IllegalStateException(
          paused.failed() + " sends failed at max rate: see the producer's log");
    }
    return (after.acknowledged() - before.acknowledged()) / elapsed;
  }
}
