package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The producer's settings as SmallRye Config maps them, before any bean exists. */
class OrdersConfigTest {

  @Test
  void noScheduleAndAStatsLineAMinuteByDefault() {
    OrdersConfig config = config(Map.of());
    assertEquals(Optional.empty(), config.rateSchedule());
    assertEquals(Duration.ofSeconds(60), config.statsInterval());
  }

  @Test
  void theScheduleIsReadWhenTheConfigIs() {
    OrdersConfig config =
        config(
            Map.of(
                "orders.rate-schedule", "0s:100,60s:2000,90s:100", "orders.stats-interval", "0"));
    assertEquals(Duration.ofSeconds(150), config.rateSchedule().orElseThrow().cycle());
    assertEquals(Duration.ZERO, config.statsInterval());
  }

  @Test
  void anInvalidScheduleFailsTheConfigWithTheReason() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> config(Map.of("orders.rate-schedule", "0s:100")));
    assertTrue(
        e.getMessage().contains("orders.rate-schedule")
            && e.getMessage().contains("Invalid rate schedule: a single step repeats only"),
        e.getMessage());
  }

  private static OrdersConfig config(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(OrdersConfig.class)
            // Quarkus's duration format (60s, 5m, PT1M), as in the running producer.
            .withConverter(Duration.class, 100, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 100))
            .build();
    return config.getConfigMapping(OrdersConfig.class);
  }
}
