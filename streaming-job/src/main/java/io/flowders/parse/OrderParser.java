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
 * Decides whether a Kafka record value is an order. Pure Java (Jackson's streaming parser, no
 * Spark) so that every rule is unit-testable and the job, the verify command and the tests agree on
 * it. Strict on purpose: a value that is not exactly the contract's JSON is rejected with a reason
 * rather than guessed at, and money never goes through a double.
 */
public final class OrderParser {

  static final String ORDER_ID = "order_id";
  static final String CUSTOMER_ID = "customer_id";
  static final String AMOUNT = "amount";
  static final String TIMESTAMP = "timestamp";

  /** DECIMAL(18,2): 16 digits before the point. */
  static final int AMOUNT_SCALE = 2;

  static final int AMOUNT_INTEGER_DIGITS = 16;
  private static final int MAX_QUOTED = 80;

  /** Thread-safe; duplicate keys are an error, since "which amount counts" has no right answer. */
  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private OrderParser() {}

  public static ParseResult parse(byte[] value) {
    if (value == null || value.length == 0) {
      return rejected("empty value");
    }
    String text;
    try {
      // newDecoder() reports malformed input, unlike new String(bytes, UTF_8) which replaces it.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return rejected("not valid UTF-8");
    }
    return parse(text);
  }

  public static ParseResult parse(String text) {
    if (text == null || text.isBlank()) {
      return rejected("empty value");
    }
    Fields fields = new Fields();
    try (JsonParser json = JSON.createParser(text)) {
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
          case TIMESTAMP -> fields.timestamp(json, token);
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
      return rejected("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return rejected("not valid JSON: " + e.getMessage());
    }
    return fields.result();
  }

  /** The value as text for the rejected table, malformed UTF-8 replaced rather than lost. */
  public static String rawText(byte[] value) {
    return value == null ? null : new String(value, StandardCharsets.UTF_8);
  }

  private static ParseResult rejected(String reason) {
    return new ParseResult.Rejected(reason);
  }

  private static String quote(String text) {
    return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "...";
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
  private static final class Fields {
    private Long orderId;
    private String customerId;
    private BigDecimal amount;
    private Instant timestamp;
    private String problem;

    void orderId(JsonParser json, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_NUMBER_INT) {
        problem("order_id must be a JSON integer, not " + describe(token));
      } else if (json.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
        problem("order_id does not fit a 64-bit integer: " + quote(json.getText()));
      } else {
        orderId = json.getLongValue();
      }
    }

    void customerId(JsonParser json, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        problem("customer_id must be a JSON string, not " + describe(token));
      } else if (json.getText().isBlank()) {
        problem("customer_id is empty");
      } else {
        customerId = json.getText();
      }
    }

    void amount(JsonParser json, JsonToken token) throws IOException {
      if (!token.isNumeric()) {
        problem("amount must be a JSON number, not " + describe(token));
        return;
      }
      BigDecimal exact = json.getDecimalValue().stripTrailingZeros();
      if (exact.signum() <= 0) {
        problem("amount must be > 0, got " + quote(json.getText()));
      } else if (exact.scale() > AMOUNT_SCALE) {
        problem("amount has more than 2 decimals: " + quote(json.getText()));
      } else if (exact.precision() - exact.scale() > AMOUNT_INTEGER_DIGITS) {
        problem("amount does not fit DECIMAL(18,2): " + quote(json.getText()));
      } else {
        amount = exact.setScale(AMOUNT_SCALE);
      }
    }

    void timestamp(JsonParser json, JsonToken token) throws IOException {
      if (token != JsonToken.VALUE_STRING) {
        problem("timestamp must be an ISO-8601 string, not " + describe(token));
        return;
      }
      try {
        timestamp = Timestamps.parse(json.getText());
      } catch (DateTimeException e) {
        problem("timestamp is not ISO-8601: " + quote(json.getText()));
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
