package io.flowders.orders;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * One INFO line every {@code orders.stats-interval}, e.g. {@code stats rate=2000/s sent=120000
 * acknowledged=119800 failed=0 unacked=200}: the counts of {@code GET /orders/stats}, for whoever
 * only has the log.
 */
@ApplicationScoped
public class StatsLog {

  private static final Logger LOG = Logger.getLogger(StatsLog.class);

  private final OrderProducer producer;
  private final Duration interval;

  StatsLog(OrderProducer producer, OrdersConfig config) {
    this.producer = producer;
    this.interval = config.statsInterval();
  }

  /** A job only when the interval is positive: 0 means no stats line at all. */
  void start(@Observes StartupEvent event, Scheduler scheduler) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException(
          "orders.stats-interval must be >= 0 (0 turns the stats line off): " + interval);
    }
    if (!interval.isZero()) {
      scheduler
          .newJob("orders-stats")
          .setDelayed(interval.toString())
          .setInterval(interval.toString())
          .setTask(execution -> LOG.info(line(producer.stats())))
          .schedule();
    }
  }

  static String line(OrderStats.Snapshot stats) {
    String rate = RateSchedule.rateText(stats.rate());
    return "stats rate="
        + (stats.rate() == OrderProducer.MAX_RATE ? rate : rate + "/s")
        + " sent="
        + stats.sent()
        + " acknowledged="
        + stats.acknowledged()
        + " failed="
        + stats.failed()
        + " unacked="
        + stats.inFlight();
  }
}
