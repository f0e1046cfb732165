package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The producer writes the golden orders byte for byte: the job's tests require its parser to accept
 * the same lines and its aggregation to total them as expected, so the two are tied without the
 * end-to-end test. The folder is the job module's ({@code flowders.golden.dir}, set by this
 * module's pom).
 */
class GoldenOrdersTest {

  /** Reads amounts as written: 608.20 stays 608.20, scale 2. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  @Test
  void theProducerWritesEveryGoldenOrderByteForByte() throws IOException {
    String dir = System.getProperty("flowders.golden.dir");
    assertNotNull(dir, "flowders.golden.dir is unset: run through Maven (surefire sets it)");
    List<byte[]> lines = lines(Files.readAllBytes(Path.of(dir, "orders.jsonl")));
    assertFalse(lines.isEmpty());

    for (byte[] line : lines) {
      JsonNode fields = JSON.readTree(line);
      Order order =
          new Order(
              fields.get("order_id").asLong(),
              fields.get("customer_id").asText(),
              fields.get("amount").decimalValue(),
              Instant.parse(fields.get("timestamp").asText()));

      assertArrayEquals(
          line,
          order.toJson().getBytes(StandardCharsets.UTF_8),
          () -> new String(line, StandardCharsets.UTF_8) + " written as " + order.toJson());
    }
  }

  /** The file's lines as bytes, each ended by a single \n (no \r, none empty). */
  private static List<byte[]> lines(byte[] file) {
    List<byte[]> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (byte b : file) {
      if (b == '\n') {
        lines.add(line.toByteArray());
        line.reset();
      } else {
        line.write(b);
      }
    }
    assertArrayEquals(new byte[0], line.toByteArray(), "the last line ends with \\n");
    return lines;
  }
}
