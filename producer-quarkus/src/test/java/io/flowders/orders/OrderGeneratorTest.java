package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class OrderGeneratorTest {

  /** Reads amounts as written: 608.20 stays 608.20, scale 2. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
  private static final Pattern AMOUNT = Pattern.compile("\"amount\":\\d{1,3}\\.\\d{2},");

  @Test
  void writesTheContractsExampleExactly() {
    Order order =
        new Order(
            4444, "CUS_60", new BigDecimal("608.21"), Instant.parse("2025-09-22T19:27:05.425770Z"));

    assertEquals(
        "{\"order_id\":4444,\"customer_id\":\"CUS_60\",\"amount\":608.21,"
            + "\"timestamp\":\"2025-09-22T19:27:05.425770Z\"}",
        order.toJson());
  }

  @Test
  void keepsTrailingZerosOfAmountsAndTimestamps() {
    Order order =
        new Order(1, "CUS_1", new BigDecimal("608.20"), Instant.parse("2025-09-22T19:27:05Z"));

    assertEquals(
        "{\"order_id\":1,\"customer_id\":\"CUS_1\",\"amount\":608.20,"
            + "\"timestamp\":\"2025-09-22T19:27:05.000000Z\"}",
        order.toJson());
  }

  @Test
  void padsMicrosecondsToSixDigitsAcrossSeconds() {
    Instant first = Instant.parse("2025-09-22T19:27:05.000005Z");
    Instant second = Instant.parse("2025-12-31T23:59:59.000010Z");
    Instant third = Instant.parse("2026-01-01T00:00:00.099999Z");

    assertTrue(
        new Order(1, "CUS_1", new BigDecimal("5.00"), first)
            .toJson()
            .endsWith("\"2025-09-22T19:27:05.000005Z\"}"));
    assertTrue(
        new Order(2, "CUS_1", new BigDecimal("5.00"), second)
            .toJson()
            .endsWith("\"2025-12-31T23:59:59.000010Z\"}"));
    assertTrue(
        new Order(3, "CUS_1", new BigDecimal("5.00"), third)
            .toJson()
            .endsWith("\"2026-01-01T00:00:00.099999Z\"}"));
    assertTrue(
        new Order(4, "CUS_1", new BigDecimal("5.00"), first)
            .toJson()
            .endsWith("\"2025-09-22T19:27:05.000005Z\"}"));
  }

  @Test
  void truncatesNanosecondsToMicroseconds() {
    Order order =
        new Order(
            1, "CUS_1", new BigDecimal("5.00"), Instant.parse("2025-09-22T19:27:05.123456789Z"));

    assertTrue(
        order.toJson().contains("\"timestamp\":\"2025-09-22T19:27:05.123456Z\""), order.toJson());
  }

  @Test
  void generatedOrdersRoundTripThroughJacksonWithinTheContract() throws Exception {
    Instant now = Instant.parse("2026-01-02T03:04:05.678901234Z");
    OrderGenerator generator =
        new OrderGenerator(10, new OrderIds(7), Clock.fixed(now, ZoneOffset.UTC));
    Set<String> customers = new HashSet<>();
    Set<Long> ids = new HashSet<>();

    for (int i = 0; i < 20_000; i++) {
      Order order = generator.next();
      String json = order.toJson();
      JsonNode node = JSON.readTree(json);

      assertEquals(4, node.size(), json);
      assertEquals(order.orderId(), node.get("order_id").longValue());
      assertTrue(node.get("order_id").isIntegralNumber(), json);
      assertTrue(node.get("customer_id").isTextual(), json);
      customers.add(node.get("customer_id").textValue());
      BigDecimal amount = node.get("amount").decimalValue();
      assertEquals(2, amount.scale(), json);
      assertTrue(
          amount.compareTo(new BigDecimal("5.00")) >= 0
              && amount.compareTo(new BigDecimal("999.99")) <= 0,
          json);
      assertTrue(AMOUNT.matcher(json).find(), json);
      String timestamp = node.get("timestamp").textValue();
      assertTrue(TIMESTAMP.matcher(timestamp).matches(), json);
      assertEquals(Instant.parse("2026-01-02T03:04:05.678901Z"), Instant.parse(timestamp));
      ids.add(order.orderId());
    }

    assertEquals(20_000, ids.size());
    Set<String> expected = new HashSet<>();
    for (int n = 1; n <= 10; n++) {
      expected.add("CUS_" + n);
    }
    assertEquals(expected, customers);
  }

  @Test
  void amountsSpreadOverTheWholeRange() {
    OrderGenerator generator = new OrderGenerator(3, new OrderIds(0));
    BigDecimal min = null;
    BigDecimal max = null;
    for (int i = 0; i < 100_000; i++) {
      BigDecimal amount = generator.next().amount();
      min = min == null || amount.compareTo(min) < 0 ? amount : min;
      max = max == null || amount.compareTo(max) > 0 ? amount : max;
    }

    assertTrue(
        min.compareTo(new BigDecimal("5.00")) >= 0 && min.compareTo(new BigDecimal("20.00")) < 0,
        "min " + min);
    assertTrue(
        max.compareTo(new BigDecimal("999.99")) <= 0 && max.compareTo(new BigDecimal("980.00")) > 0,
        "max " + max);
  }

  @Test
  void stampsOrdersInUtcNow() {
    Instant before = Instant.now().minusMillis(1);
    Order order = new OrderGenerator(1, new OrderIds(0)).next();

    assertTrue(
        !order.timestamp().isBefore(before) && !order.timestamp().isAfter(Instant.now()),
        order.toString());
    assertTrue(order.toJson().endsWith("Z\"}"), order.toJson());
  }
}
