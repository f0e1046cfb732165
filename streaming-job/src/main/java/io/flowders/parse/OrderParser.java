package io.flowders.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * Decides whether a Kafka record is an order: the input rules, written once (README, "What flows").
 * Pure Java (Jackson's streaming parser, no Spark) so that every rule is unit-testable and the job,
 * the verify command and the tests agree on it. Strict on purpose: a value that is not exactly the
 * contract's JSON is rejected with a reason that names the rule rather than guessed at, and money
 * never goes through a double. The duplicate rules need the ledger and live in the sink.
 */
public final class OrderParser {

  static final String ORDER_ID = "order_id";
  static final String CUSTOMER_ID = "customer_id";
  static final String AMOUNT = "amount";
  static final String TIMESTAMP = "timestamp";

  /** The ledger's DECIMAL(18,2). */
  static final int AMOUNT_SCALE = 2;

  /**
   * Spark keeps timestamps as microseconds in a long and converts dates before 1582 through the
   * Julian calendar: no order before the Unix epoch is accepted, so neither can bite.
   */
  static final Instant EARLIEST = Instant.EPOCH;

  /** Thread-safe; duplicate keys are an error, since "which amount counts" has no right answer. */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final OrderParser DEFAULTS = new OrderParser(InputRules.DEFAULTS);

  private final InputRules rules;

  public OrderParser(InputRules rules) {
    this.rules = rules;
  }

  /** A record with no key, written now, under the default settings. */
  public static ParseResult parse(byte[] value) {
    return DEFAULTS.parse(null, value, Instant.now());
  }

  /** A record with no key, written now, under the default settings. */
  public static ParseResult parse(String text) {
    return DEFAULTS.parse(null, text, Instant.now());
  }

  /**
   * @param key the record's key, may be null
   * @param recordTime the record's Kafka timestamp (the producer's or the broker's clock): an order
   *     may be dated at most {@link InputRules#maxClockSkew()} after it
   */
  public ParseResult parse(byte[] key, byte[] value, Instant recordTime) {
    if (value == null || value.length == 0) {
      return rejected("empty value");
    }
    if (!isAscii(value)) {
      String text = utf8(value);
      return text == null ? rejected("not valid UTF-8") : parse(key, text, recordTime);
    }
    // ASCII is UTF-8 as it is: Jackson reads the bytes, with no String in between
    if (isBlankAscii(value)) {
      return rejected("empty value");
    }
    return parse(key, () -> JSON.createParser(value), recordTime);
  }

  ParseResult parse(byte[] key, String text, Instant recordTime) {
    if (text == null || text.isBlank()) {
      return rejected("empty value");
    }
    return parse(key, () -> JSON.createParser(text), recordTime);
  }

  /** Where a value's JSON is read from: its bytes, or its text once decoded. */
  private interface JsonSource {
    JsonParser open() throws IOException;
  }

  private ParseResult parse(byte[] key, JsonSource source, Instant recordTime) {
    Fields fields = new Fields();
    try (JsonParser json = source.open()) {
      if (json.nextToken() != JsonToken.START_OBJECT) {
        return rejected("not a JSON object");
      }
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken token = json.nextToken();
        switch (name) {
          case ORDER_ID -> fields.orderId(json, token);
          case CUSTOMER_ID -> fields.customerId(json, token);
          case AMOUNT -> fields.amount(json, token);
          case TIMESTAMP -> fields.timestamp(json, token, recordTime);
          default -> {}
        }
        if (token.isStructStart()) {
          json.skipChildren();
        }
      }
      if (json.nextToken() != null) {
        return rejected("not valid JSON: unexpected content after the object");
      }
    } catch (JsonProcessingException e) {
      return rejected("not valid JSON: " + Printable.cut(e.getOriginalMessage()));
    } catch (IOException e) {
      return rejected("not valid JSON: " + Printable.cut(String.valueOf(e.getMessage())));
    }
    ParseResult result = fields.result();
    if (key != null && result instanceof ParseResult.Accepted accepted) {
      String problem = keyProblem(key, accepted.order().customerId());
      if (problem != null) {
        return rejected(problem);
      }
    }
    return result;
  }

  /** A key, when there is one, is the customer id: it decides the partition, hence the order. */
  private static String keyProblem(byte[] key, String customerId) {
    String text = utf8(key);
    if (text == null) {
      return "key is not valid UTF-8";
    }
    String normalized = CustomerIds.normalize(text);
    return normalized.equals(customerId)
        ? null
        : "key does not match customer_id: key '"
            + Printable.cut(text)
            + "', customer_id '"
            + Printable.cut(customerId)
            + "'";
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** {@link String#isBlank()} for ASCII text. */
  private static boolean isBlankAscii(byte[] ascii) {
    for (byte b : ascii) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  /** Null for malformed UTF-8, which new String(bytes, UTF_8) would silently replace. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The value as text for the rejected table, malformed UTF-8 replaced rather than lost. */
  public static String rawText(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private static ParseResult rejected(String reason) {
    return new ParseResult.Rejected(reason);
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "an integer";
      case VALUE_NUMBER_FLOAT -> "a decimal number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      default -> token.toString();
    };
  }

  /**
   * Collects the four fields; the first problem wins, but only once the whole value is valid JSON.
   */
  private final class Fields {
    private Long orderId;
    private String customerId;
    private BigDecimal amount;
    private Instant timestamp;
    private String problem;

    void orderId(JsonParser json, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        problem("order_id must be a JSON integer, not " + describe(token));
      } else if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        problem("order_id does not fit a 64-bit integer: " + Printable.cut(json.getText()));
      } else if (json.getLongValue() <= 0) {
        problem("order_id must be > 0, got " + json.getLongValue());
      } else {
        orderId = json.getLongValue();
      }
    }

    void customerId(JsonParser json, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        problem("customer_id must be a JSON string, not " + describe(token));
      } else {
        String id = CustomerIds.normalize(json.getText());
        String problem = CustomerIds.problem(id);
        if (problem != null) {
          problem(problem);
        } else {
          customerId = id;
        }
      }
    }

    void amount(JsonParser json, JsonToken token) throws IOException {
      if (!token.isNumeric()) {
        problem("amount must be a JSON number, not " + describe(token));
        return;
      }
      BigDecimal exact = json.getDecimalValue().stripTrailingZeros();
      if (exact.signum() <= 0) {
        problem("amount must be > 0, got " + Printable.cut(json.getText()));
      } else if (exact.scale() > AMOUNT_SCALE) {
        problem("amount has more than 2 decimals: " + Printable.cut(json.getText()));
      } else if (exact.compareTo(rules.maxAmount()) > 0) {
        problem(
            "amount is above FLOWDERS_MAX_AMOUNT ("
                + rules.maxAmount().toPlainString()
                + "): "
                + Printable.cut(json.getText()));
      } else {
        amount = exact.setScale(AMOUNT_SCALE);
      }
    }

    void timestamp(JsonParser json, JsonToken token, Instant recordTime) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        problem("timestamp must be an ISO-8601 string, not " + describe(token));
        return;
      }
      Instant parsed;
      try {
        parsed = Timestamps.parse(json.getText());
      } catch (DateTimeException | ArithmeticException e) {
        problem("timestamp is not ISO-8601: " + Printable.cut(json.getText()));
        return;
      }
      Instant latest = recordTime.plus(rules.maxClockSkew());
      if (parsed.isBefore(EARLIEST)) {
        problem("timestamp is before " + EARLIEST + ": " + Printable.cut(json.getText()));
      } else if (parsed.isAfter(latest)) {
        problem(
            "timestamp is more than FLOWDERS_MAX_CLOCK_SKEW ("
                + rules.maxClockSkew().toSeconds()
                + " s) after the record's Kafka timestamp "
                + recordTime
                + ": "
                + Printable.cut(json.getText()));
      } else {
        timestamp = parsed;
      }
    }

    private void problem(String reason) {
      if (problem == null) {
        problem = reason;
      }
    }

    ParseResult result() {
      if (problem != null) {
        return rejected(problem);
      }
      if (orderId == null) {
        return rejected("missing order_id");
      }
      if (customerId == null) {
        return rejected("missing customer_id");
      }
      if (amount == null) {
        return rejected("missing amount");
      }
      if (timestamp == null) {
        return rejected("missing timestamp");
      }
      return new ParseResult.Accepted(new Order(orderId, customerId, amount, timestamp));
    }
  }
}
