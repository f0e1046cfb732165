package io.flowders.orders;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of what the producer sent, what Kafka acknowledged and what failed, shared by {@code GET
 * /orders/stats} and the Prometheus metrics so that both always agree.
 */
@ApplicationScoped
public class OrderStats {

  private final LongAdder sent = new LongAdder();
  private final LongAdder acknowledged = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Timer sendLatency;

  OrderStats(MeterRegistry registry) {
    FunctionCounter.builder("orders.sent", sent, LongAdder::sum)
        .description("Orders handed to the Kafka channel")
        .register(registry);
    FunctionCounter.builder("orders.acknowledged", acknowledged, LongAdder::sum)
        .description("Orders acknowledged by Kafka (acks=all)")
        .register(registry);
    FunctionCounter.builder("orders.failed", failed, LongAdder::sum)
        .description("Orders Kafka did not acknowledge: lost unless re-sent")
        .register(registry);
    sendLatency =
        Timer.builder("orders.send.latency")
            .description("From handing an order to the channel to its acknowledgement")
            .register(registry);
  }

  void sent() {
    sent.increment();
  }

  void acknowledged(long sentAtNanos) {
    acknowledged.increment();
    sendLatency.record(System.nanoTime() - sentAtNanos, TimeUnit.NANOSECONDS);
  }

  void failed() {
    failed.increment();
  }

  /** Reads the outcomes before {@code sent}, so that {@code inFlight} never goes negative. */
  Snapshot snapshot(double rate) {
    long failedNow = failed.sum();
    long acknowledgedNow = acknowledged.sum();
    long sentNow = sent.sum();
    return new Snapshot(
        sentNow, acknowledgedNow, failedNow, rate, sentNow - acknowledgedNow - failedNow);
  }

  /** The body of {@code GET /orders/stats}; {@code rate} is orders per second, -1 for max. */
  public record Snapshot(long sent, long acknowledged, long failed, double rate, long inFlight) {}
}
