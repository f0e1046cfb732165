package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.StartupEvent;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Who sets the rate, without Quarkus: the producer is built but never started, so its rate is only
 * read back.
 */
class RateControlTest {

  private final ManualTicker ticker = new ManualTicker();

  @Test
  void withoutAScheduleTheConfiguredRateHoldsAndAPutHoldsForGood() {
    OrderProducer producer = producer("7", null);
    RateControl control = start(producer, null);
    assertEquals(7.0, producer.stats().rate());

    control.set(50);
    ticker.advance(Duration.ofDays(1));
    control.tick();
    assertEquals(50.0, producer.stats().rate());
  }

  @Test
  void theScheduleReplacesTheConfiguredRateFromTheStart() {
    OrderProducer producer = producer("7", "0s:100,60s:2000,90s:100");
    start(producer, "0s:100,60s:2000,90s:100");
    assertEquals(100.0, producer.stats().rate());
  }

  @Test
  void eachStepBeginsAtTheFirstTickAfterItsOffset() {
    OrderProducer producer = producer("0", "0s:100,60s:2000,90s:100");
    RateControl control = start(producer, "0s:100,60s:2000,90s:100");

    ticker.advance(Duration.ofMillis(59_999));
    control.tick();
    assertEquals(100.0, producer.stats().rate());
    ticker.advance(Duration.ofMillis(1));
    control.tick();
    assertEquals(2000.0, producer.stats().rate());
    // A late tick (a stalled scheduler) lands on the step of the elapsed time, not the next in
    // line.
    ticker.advance(Duration.ofSeconds(150));
    control.tick();
    assertEquals(2000.0, producer.stats().rate(), "210 s = 60 s into the second cycle");
  }

  @Test
  void aPutHoldsUntilTheNextStepThenTheScheduleResumes() {
    OrderProducer producer = producer("0", "0s:100,60s:2000,90s:100");
    RateControl control = start(producer, "0s:100,60s:2000,90s:100");

    ticker.advance(Duration.ofSeconds(10));
    control.set(5);
    ticker.advance(Duration.ofSeconds(49));
    control.tick();
    assertEquals(5.0, producer.stats().rate(), "59 s: still in the step the PUT came in");

    ticker.advance(Duration.ofSeconds(1));
    control.tick();
    assertEquals(2000.0, producer.stats().rate(), "60 s: the next step");
  }

  @Test
  void aPutEndsAtABoundaryBetweenStepsOfTheSameRate() {
    OrderProducer producer = producer("0", "0s:100,60s:2000,90s:100");
    RateControl control = start(producer, "0s:100,60s:2000,90s:100");

    ticker.advance(Duration.ofSeconds(100));
    control.tick();
    control.set(0);
    ticker.advance(Duration.ofSeconds(50));
    control.tick();
    assertEquals(
        100.0, producer.stats().rate(), "150 s: the second cycle's first step, 100/s again");
  }

  @Test
  void aPutAfterABoundaryItsTickHasNotSeenYetIsNotUndoneByThatTick() {
    OrderProducer producer = producer("0", "0s:100,60s:2000,90s:100");
    RateControl control = start(producer, "0s:100,60s:2000,90s:100");

    ticker.advance(Duration.ofMillis(60_500));
    control.set(5);
    control.tick();
    assertEquals(5.0, producer.stats().rate());
    ticker.advance(Duration.ofSeconds(29));
    control.tick();
    assertEquals(5.0, producer.stats().rate(), "89.5 s: still the step the PUT came in");
  }

  private RateControl start(OrderProducer producer, String schedule) {
    RateControl control = new RateControl(producer, config("0", schedule), ticker);
    control.start(new StartupEvent());
    return control;
  }

  private static OrderProducer producer(String rate, String schedule) {
    return new OrderProducer(
        null, "orders", new OrderStats(new SimpleMeterRegistry()), config(rate, schedule));
  }

  private static OrdersConfig config(String rate, String schedule) {
    return new OrdersConfig() {
      @Override
      public String rate() {
        return rate;
      }

      @Override
      public Optional<String> rateToken() {
        return Optional.empty();
      }

      @Override
      public Optional<RateSchedule> rateSchedule() {
        return Optional.ofNullable(schedule).map(RateSchedule::parse);
      }

      @Override
      public Duration statsInterval() {
        return Duration.ZERO;
      }

      @Override
      public int customers() {
        return 10;
      }

      @Override
      public Optional<Integer> instanceId() {
        return Optional.of(1);
      }

      @Override
      public int maxUnacked() {
        return 16;
      }

      @Override
      public Duration shutdownTimeout() {
        return Duration.ofSeconds(1);
      }
    };
  }
}
