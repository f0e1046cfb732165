package io.flowders.orders;

import static java.time.temporal.ChronoField.MICRO_OF_SECOND;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One order as it travels on the {@code orders} topic.
 *
 * <p>The JSON is written by hand rather than through a mapper: the contract fixes every detail
 * of it (field names, a quoted customer id, exactly two decimals, a timestamp with exactly six
 * fraction digits and a {@code Z}), and the producer writes it at tens of thousands per second.
 */
public record Order(long orderId, String customerId, BigDecimal amount, Instant timestamp) {

    /** ISO-8601 in UTC with microseconds always written, so every consumer sees one shape. */
    static final DateTimeFormatter TIMESTAMP_FORMAT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(MICRO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    public Order {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(timestamp, "timestamp");
        if (amount.scale() != 2 || amount.signum() <= 0) {
            throw new IllegalArgumentException("amount must be positive with 2 decimals: " + amount);
        }
        timestamp = timestamp.truncatedTo(ChronoUnit.MICROS);
    }

    /** The record value, e.g. {@code {"order_id":4444,"customer_id":"CUS_60","amount":608.21,"timestamp":"2025-09-22T19:27:05.425770Z"}}. */
    public String toJson() {
        return "{\"order_id\":" + orderId
                + ",\"customer_id\":\"" + customerId
                + "\",\"amount\":" + amount.toPlainString()
                + ",\"timestamp\":\"" + TIMESTAMP_FORMAT.format(timestamp) + "\"}";
    }
}
