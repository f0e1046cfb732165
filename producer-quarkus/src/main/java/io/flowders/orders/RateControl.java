package io.flowders.orders;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Who sets {@link OrderProducer}'s rate: {@code orders.rate-schedule}'s step in force, if there is
 * a schedule, and {@code PUT /orders/rate}, which holds until the schedule's next step begins.
 *
 * <p>The step comes from the time elapsed since start, looked at once a second, so a late or missed
 * look never shifts the steps after it; a step begins at most a second after its offset. Every
 * change happens under this object's lock: a PUT first applies a step whose time has come, so that
 * the step's late look cannot undo the PUT.
 */
@ApplicationScoped
public class RateControl {

  private static final Logger LOG = Logger.getLogger(RateControl.class);

  private final OrderProducer producer;
  private final Optional<RateSchedule> schedule;
  private final Ticker ticker;
  private boolean started;
  private long startNanos;
  private long stepInForce = -1;

  RateControl(OrderProducer producer, OrdersConfig config, Ticker ticker) {
    this.producer = producer;
    this.schedule = config.rateSchedule();
    this.ticker = ticker;
  }

  /** Before {@link OrderProducer#start}, so that it starts at the first step's rate. */
  void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event) {
    if (schedule.isPresent()) {
      synchronized (this) {
        startNanos = ticker.nanoTime();
        started = true;
        applyStepInForce();
      }
      LOG.infof("Rate schedule %s (offset:rate steps, then the cycle's length)", schedule.get());
    }
  }

  @Scheduled(every = "1s", identity = "orders-rate-schedule")
  synchronized void tick() {
    if (started) {
      applyStepInForce();
    }
  }

  /**
   * {@code PUT /orders/rate}: this rate until the schedule's next step, or for good without one.
   */
  synchronized void set(double ordersPerSecond) {
    if (started) {
      applyStepInForce();
    }
    producer.rate(ordersPerSecond);
  }

  private void applyStepInForce() {
    RateSchedule.Position position =
        schedule.get().at(Duration.ofNanos(ticker.nanoTime() - startNanos));
    if (position.number() != stepInForce) {
      stepInForce = position.number();
      producer.rate(position.rate());
      LOG.debugf(
          "Rate schedule step %d: %s", position.number(), RateSchedule.rateText(position.rate()));
    }
  }
}
