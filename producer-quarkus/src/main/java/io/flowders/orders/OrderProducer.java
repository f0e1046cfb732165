package io.flowders.orders;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Emits orders to the {@code orders} channel at the requested rate, from one dedicated thread.
 *
 * <p>A thread rather than a scheduler tick: it paces by deadline in nanoseconds, so any rate is
 * kept on average, and in max mode it sends back to back instead of once per tick. Every send holds
 * a permit until Kafka acknowledges or rejects it: with at most {@code orders.max-unacked} orders
 * unacknowledged, a slow or absent Kafka makes the thread wait instead of filling memory, and
 * shutdown knows what it still has to wait for.
 *
 * <p>Each order goes out as a ready {@link ProducerRecord} (key = customer id, record timestamp =
 * the order's) in a message without metadata: the connector then has nothing to look up per record,
 * which matters on Kafka's network thread where acknowledgements complete.
 */
@ApplicationScoped
public class OrderProducer {

  /** The rate that means "as fast as Kafka acknowledges". */
  public static final double MAX_RATE = -1;

  private static final Logger LOG = Logger.getLogger(OrderProducer.class);
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  /**
   * Behind schedule by more than this (Kafka was slow), pacing restarts from now instead of
   * bursting.
   */
  private static final long MAX_CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Orders due within a millisecond leave together: a park per order costs a wake-up each, which at
   * 10 000 orders/s was a third of a core (2026-11-27, top on a running ./flowders up stack).
   */
  private static final long MIN_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final Emitter<ProducerRecord<String, String>> emitter;
  private final String topic;
  private final OrderStats stats;
  private final OrdersConfig config;
  private final Semaphore unacked;
  private final OrderGenerator generator;
  private volatile double rate;
  private volatile boolean running = true;
  private Thread thread;

  OrderProducer(
      @Channel("orders") Emitter<ProducerRecord<String, String>> emitter,
      @ConfigProperty(name = "mp.messaging.outgoing.orders.topic") String topic,
      OrderStats stats,
      OrdersConfig config) {
    this.emitter = emitter;
    this.topic = topic;
    this.stats = stats;
    this.config = config;
    this.unacked = new Semaphore(config.maxUnacked());
    this.generator =
        new OrderGenerator(
            config.customers(),
            new OrderIds(config.instanceId().orElseGet(OrderIds::randomInstance)));
    this.rate = parseRate(config.rate());
  }

  /** Orders per second &ge; 0, or {@code max} / {@code -1} for {@link #MAX_RATE}. */
  static double parseRate(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("rate missing: orders per second, 0 to pause, or max");
    }
    String trimmed = value.trim();
    if (trimmed.equalsIgnoreCase("max")) {
      return MAX_RATE;
    }
    double parsed;
    try {
      parsed = Double.parseDouble(trimmed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("rate is not a number: " + trimmed);
    }
    if (parsed == MAX_RATE) {
      return MAX_RATE;
    }
    if (!Double.isFinite(parsed) || parsed < 0) {
      throw new IllegalArgumentException("rate must be >= 0 orders per second, or max: " + trimmed);
    }
    return parsed;
  }

  void start(@Observes StartupEvent event) {
    thread = new Thread(this::produce, "orders-producer");
    thread.setDaemon(true);
    thread.start();
    LOG.infof(
        "Producing %s orders/s for %d customers",
        rate == MAX_RATE ? "max" : rate, config.customers());
  }

  /** Stops emitting, then waits (bounded) until Kafka has answered for every order in flight. */
  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    LockSupport.unpark(thread);
    thread.join(config.shutdownTimeout().toMillis());
    if (!unacked.tryAcquire(
        config.maxUnacked(), config.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
      LOG.warnf("Shutting down with %d orders unacknowledged", stats().inFlight());
    }
  }

  void rate(double ordersPerSecond) {
    rate = ordersPerSecond;
    LockSupport.unpark(thread);
  }

  OrderStats.Snapshot stats() {
    return stats.snapshot(rate);
  }

  private void produce() {
    double pacedRate = 0;
    long deadline = 0;
    while (running) {
      double current = rate;
      if (current == 0) {
        LockSupport.park(this);
        pacedRate = 0;
        continue;
      }
      if (current != MAX_RATE) {
        long now = System.nanoTime();
        if (current != pacedRate || now - deadline > MAX_CATCH_UP_NANOS) {
          pacedRate = current;
          deadline = now;
        }
        if (deadline - now > 0) {
          LockSupport.parkNanos(this, Math.max(deadline - now, MIN_PARK_NANOS));
          continue;
        }
        deadline += (long) (1e9 / current);
      }
      try {
        if (unacked.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          send(generator.next());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void send(Order order) {
    long sentAt = System.nanoTime();
    stats.sent();
    try {
      ProducerRecord<String, String> record =
          new ProducerRecord<>(
              topic, null, order.timestamp().toEpochMilli(), order.customerId(), order.toJson());
      emitter.send(
          Message.of(
              record,
              () -> {
                unacked.release();
                stats.acknowledged(sentAt);
                return DONE;
              },
              failure -> {
                failed(order, failure);
                return DONE;
              }));
    } catch (RuntimeException e) {
      failed(order, e);
    }
  }

  private void failed(Order order, Throwable failure) {
    unacked.release();
    stats.failed();
    LOG.warnf(
        "Order %d of %s not acknowledged: %s",
        order.orderId(), order.customerId(), failure.toString());
  }
}
