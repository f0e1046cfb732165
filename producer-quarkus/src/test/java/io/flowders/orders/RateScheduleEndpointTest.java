package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code orders.rate-schedule} in the running producer, as {@code GET /orders/stats} reports it:
 * the test moves the schedule's clock ({@link ManualTicker}) and waits for the scheduler's next
 * look. No Kafka is needed to change the rate, so this runs with the unreachable one.
 */
@QuarkusTest
@TestProfile(RateScheduleEndpointTest.Scheduled.class)
class RateScheduleEndpointTest {

  private static final Duration LOOK = Duration.ofSeconds(30);

  @Inject ManualTicker ticker;
  @Inject RateControl rateControl;

  @Test
  void theScheduleSetsTheRateAndAPutHoldsUntilTheNextStep() throws InterruptedException {
    assertEquals(5.0, ProducerClient.stats().rate(), "the first step from the start");

    ticker.advance(Duration.ofSeconds(10));
    awaitRate(7);

    assertEquals(100.0, ProducerClient.rate("100").rate());
    ticker.advance(Duration.ofSeconds(9));
    // The scheduler's own look may come any time: look now, so that one has surely happened.
    rateControl.tick();
    assertEquals(100.0, ProducerClient.stats().rate(), "19 s: the PUT's step still");

    ticker.advance(Duration.ofSeconds(1));
    awaitRate(3);

    ticker.advance(Duration.ofSeconds(10));
    awaitRate(5);
  }

  private static void awaitRate(double rate) throws InterruptedException {
    ProducerClient.await("rate " + rate, LOOK, s -> s.rate() == rate);
  }

  /** Steps of 10 s, a 30 s cycle, the clock in the test's hands. */
  public static class Scheduled extends UnreachableKafkaTest.NoKafka {

    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
      overrides.put("orders.rate-schedule", "0s:5,10s:7,20s:3,30s");
      return overrides;
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
      return Set.of(ManualTicker.class);
    }
  }
}
