package io.flowders.orders;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The producer's own settings; Quarkus maps {@code ORDERS_RATE}, {@code ORDERS_CUSTOMERS}, ... onto
 * them.
 */
@ConfigMapping(prefix = "orders")
public interface OrdersConfig {

  /**
   * Orders per second at start-up: a number &ge; 0 (0 pauses), or {@code max} (also {@code -1}).
   */
  @WithDefault("2")
  String rate();

  /**
   * The bearer token {@code PUT /orders/rate} asks for ({@code ORDERS_RATE_TOKEN}); none by
   * default, and without one the producer refuses every rate change (see {@link RateToken}).
   */
  Optional<String> rateToken();

  /**
   * Rates by time since start, repeating ({@code ORDERS_RATE_SCHEDULE}): comma-separated {@code
   * offset:rate} steps, the first at {@code 0s}, offsets increasing whole seconds, rates as {@link
   * #rate()} takes them; a final bare offset is the cycle's length, else the last step lasts as
   * long as the first. {@code 0s:100,60s:2000,90s:100}: 100/s, 2000/s from 60 s, 100/s from 90 s to
   * 150 s, again. It replaces {@link #rate()}; {@code PUT /orders/rate} holds until the next step.
   * None by default. See {@link RateSchedule}.
   */
  @WithConverter(RateSchedule.ConfigConverter.class)
  Optional<RateSchedule> rateSchedule();

  /**
   * How often the log gets a stats line ({@code stats rate=.. sent=.. acknowledged=.. failed=..
   * unacked=..}); 0 turns it off.
   */
  @WithDefault("60s")
  Duration statsInterval();

  /** How many customers, {@code CUS_1..CUS_n}. */
  @WithDefault("10")
  int customers();

  /** This producer's 12-bit instance id in every order id (0..4095); random when absent. */
  Optional<Integer> instanceId();

  /**
   * Sends handed to Kafka but not yet acknowledged, at most: the memory bound while Kafka is slow
   * or down (about 2 KB of connector and Kafka state each). At full rate this is what keeps the
   * brokers busy, as long as the young generation dwarfs it: every young GC copies whatever is in
   * flight (see the README for JVM flags).
   */
  @WithDefault("16384")
  int maxUnacked();

  /** How long shutdown waits for the acknowledgement of what is in flight. */
  @WithDefault("10s")
  Duration shutdownTimeout();
}
