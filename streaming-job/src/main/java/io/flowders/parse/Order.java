package io.flowders.parse;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An accepted order: amount already at scale 2, timestamp in UTC at microsecond precision
 * (Spark's).
 */
public record Order(long orderId, String customerId, BigDecimal amount, Instant timestamp) {

  public Instant windowStart() {
    return Windows.start(timestamp);
  }
}
