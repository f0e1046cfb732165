package io.flowders.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One order as it travels on the {@code orders} topic.
 *
 * <p>The JSON is written by hand rather than through a mapper: the contract fixes every detail of
 * it (field names, a quoted customer id, exactly two decimals, a timestamp with exactly six
 * fraction digits and a {@code Z}), and the producer writes it up to a few hundred thousand times
 * per second, so the date part of the timestamp is formatted once per second.
 */
public record Order(long orderId, String customerId, BigDecimal amount, Instant timestamp) {

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
  private static final int NANOS_PER_MICRO = 1_000;

  /** The formatted second of the latest timestamp written, shared by every producing thread. */
  private static volatile FormattedSecond lastSecond =
      new FormattedSecond(0, SECONDS.format(Instant.EPOCH));

  public Order {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(timestamp, "timestamp");
    if (amount.scale() != 2 || amount.signum() <= 0) {
      throw new IllegalArgumentException("amount must be positive with 2 decimals: " + amount);
    }
    timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
  }

  /**
   * The record value, e.g. {@code
   * {"order_id":4444,"customer_id":"CUS_60","amount":608.21,"timestamp":"2025-09-22T19:27:05.425770Z"}}.
   */
  public String toJson() {
    StringBuilder json =
        new StringBuilder(128)
            .append("{\"order_id\":")
            .append(orderId)
            .append(",\"customer_id\":\"")
            .append(customerId)
            .append("\",\"amount\":")
            .append(amount.toPlainString())
            .append(",\"timestamp\":\"")
            .append(second(timestamp.getEpochSecond()));
    int micros = timestamp.getNano() / NANOS_PER_MICRO;
    for (int digit = 100_000; digit > micros && digit > 1; digit /= 10) {
      json.append('0');
    }
    return json.append(micros).append("Z\"}").toString();
  }

  private static String second(long epochSecond) {
    FormattedSecond last = lastSecond;
    if (last.epochSecond != epochSecond) {
      last = new FormattedSecond(epochSecond, SECONDS.format(Instant.ofEpochSecond(epochSecond)));
      lastSecond = last;
    }
    return last.text;
  }

  private record FormattedSecond(long epochSecond, String text) {}
}
