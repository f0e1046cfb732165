package io.flowders.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrderParserTest {

  private static final String CONTRACT_EXAMPLE =
      "{\"order_id\":4444,\"customer_id\":\"CUS_60\",\"amount\":608.21,\"timestamp\":\"2025-09-22T19:27:05.425770Z\"}";

  @Test
  void acceptsTheContractExampleExactly() {
    Order order = accepted(CONTRACT_EXAMPLE);
    assertThat(order.orderId()).isEqualTo(4444L);
    assertThat(order.customerId()).isEqualTo("CUS_60");
    assertThat(order.amount()).isEqualTo(new BigDecimal("608.21"));
    assertThat(order.timestamp()).isEqualTo(Instant.parse("2025-09-22T19:27:05.425770Z"));
    assertThat(order.windowStart()).isEqualTo(Instant.parse("2025-09-22T19:27:00Z"));
  }

  @Test
  void rejectsTheSeedsUnquotedCustomerId() {
    String seedLine =
        "{\"order_id\":4444,\"customer_id\":CUS_60,\"amount\":608.21,\"timestamp\":\"2025-09-22T19:27:05.425770\"}";
    assertThat(rejected(seedLine)).startsWith("not valid JSON: Unrecognized token 'CUS_60'");
  }

  @Test
  void readsATimestampWithoutOffsetAsUtc() {
    String line = CONTRACT_EXAMPLE.replace("425770Z", "425770");
    assertThat(accepted(line).timestamp()).isEqualTo(Instant.parse("2025-09-22T19:27:05.425770Z"));
  }

  @Test
  void convertsAnOffsetToUtc() {
    String line = CONTRACT_EXAMPLE.replace("19:27:05.425770Z", "21:27:05.425770+02:00");
    Order order = accepted(line);
    assertThat(order.timestamp()).isEqualTo(Instant.parse("2025-09-22T19:27:05.425770Z"));
    assertThat(order.windowStart()).isEqualTo(Instant.parse("2025-09-22T19:27:00Z"));
  }

  @Test
  void keepsMicrosecondsLikeSparkTimestamps() {
    String line = CONTRACT_EXAMPLE.replace("425770Z", "425770999Z");
    assertThat(accepted(line).timestamp()).isEqualTo(Instant.parse("2025-09-22T19:27:05.425770Z"));
  }

  @Test
  void putsTheLastMicrosecondOfAMinuteAndTheNextMinuteInDifferentWindows() {
    Order last = accepted(CONTRACT_EXAMPLE.replace("19:27:05.425770Z", "19:27:59.999999Z"));
    Order next = accepted(CONTRACT_EXAMPLE.replace("19:27:05.425770Z", "19:28:00Z"));
    assertThat(last.windowStart()).isEqualTo(Instant.parse("2025-09-22T19:27:00Z"));
    assertThat(next.windowStart()).isEqualTo(Instant.parse("2025-09-22T19:28:00Z"));
    assertThat(Windows.end(last.windowStart())).isEqualTo(next.windowStart());
  }

  @ParameterizedTest
  @CsvSource({
    "608.2, 608.20",
    "0.10, 0.10",
    "0.1, 0.10",
    "7, 7.00",
    "608.210, 608.21",
    "1e2, 100.00",
    "1000000000.00, 1000000000.00",
    "1000000000, 1000000000.00"
  })
  void keepsAmountsExactAtScaleTwo(String json, String expected) {
    BigDecimal amount = accepted(CONTRACT_EXAMPLE.replace("608.21", json)).amount();
    assertThat(amount).isEqualTo(new BigDecimal(expected));
    assertThat(amount.scale()).isEqualTo(2);
  }

  @Test
  void ignoresExtraFields() {
    String line =
        CONTRACT_EXAMPLE.replace(
            "{", "{\"currency\":\"EUR\",\"tags\":[1,{\"a\":2}],\"meta\":{\"x\":[]},");
    assertThat(accepted(line).orderId()).isEqualTo(4444L);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "4444                   | \"4444\"                | order_id must be a JSON integer, not a string",
        "4444                   | 4444.0                  | order_id must be a JSON integer, not a decimal number",
        "4444                   | null                    | order_id must be a JSON integer, not null",
        "4444                   | 9223372036854775808     | order_id does not fit a 64-bit integer: 9223372036854775808",
        "\"CUS_60\"             | 60                      | customer_id must be a JSON string, not an integer",
        "\"CUS_60\"             | \"\"                    | customer_id is empty",
        "\"CUS_60\"             | {\"id\":1}              | customer_id must be a JSON string, not an object",
        "608.21                 | \"608.21\"              | amount must be a JSON number, not a string",
        "608.21                 | 0                       | amount must be > 0, got 0",
        "608.21                 | -5.00                   | amount must be > 0, got -5.00",
        "608.21                 | 608.215                 | amount has more than 2 decimals: 608.215",
        "608.21                 | 1000000000.01           | amount is above FLOWDERS_MAX_AMOUNT (1000000000.00): 1000000000.01",
        "608.21                 | 9999999999999999.99     | amount is above FLOWDERS_MAX_AMOUNT (1000000000.00): 9999999999999999.99",
        "608.21                 | 1e999999999             | amount is above FLOWDERS_MAX_AMOUNT (1000000000.00): 1e999999999",
        "4444                   | 0                       | order_id must be > 0, got 0",
        "4444                   | -1                      | order_id must be > 0, got -1",
        "\"2025-09-22T19:27:05.425770Z\" | 1758569225     | timestamp must be an ISO-8601 string, not an integer",
        "\"2025-09-22T19:27:05.425770Z\" | \"2025-09-22\" | timestamp is not ISO-8601: 2025-09-22",
        "\"2025-09-22T19:27:05.425770Z\" | \"22/09/2025 19:27\" | timestamp is not ISO-8601: 22/09/2025 19:27",
        "\"2025-09-22T19:27:05.425770Z\" | [\"2025-09-22T19:27:05Z\"] | timestamp must be an ISO-8601 string, not an array"
      })
  void rejectsAFieldOfTheWrongShapeWithItsReason(String valid, String invalid, String reason) {
    String line = CONTRACT_EXAMPLE.replace(":" + valid.trim(), ":" + invalid.trim());
    assertThat(line).isNotEqualTo(CONTRACT_EXAMPLE);
    assertThat(rejected(line)).isEqualTo(reason);
  }

  @ParameterizedTest
  @CsvSource({
    "order_id, missing order_id",
    "customer_id, missing customer_id",
    "amount, missing amount",
    "timestamp, missing timestamp"
  })
  void rejectsAMissingField(String field, String reason) {
    String line = CONTRACT_EXAMPLE.replace("\"" + field + "\"", "\"not_" + field + "\"");
    assertThat(rejected(line)).isEqualTo(reason);
  }

  @Test
  void rejectsWhatIsNotOneJsonObject() {
    assertThat(rejected("[1,2]")).isEqualTo("not a JSON object");
    assertThat(rejected("\"order\"")).isEqualTo("not a JSON object");
    assertThat(rejected(CONTRACT_EXAMPLE + "{}"))
        .isEqualTo("not valid JSON: unexpected content after the object");
    assertThat(rejected(CONTRACT_EXAMPLE.substring(0, 40))).startsWith("not valid JSON: ");
    assertThat(rejected("{\"order_id\":1,\"order_id\":2}"))
        .startsWith("not valid JSON: Duplicate field 'order_id'");
  }

  @Test
  void preferTheJsonErrorOverAFieldError() {
    assertThat(rejected("{\"order_id\":\"x\", oops}")).startsWith("not valid JSON: ");
  }

  @Test
  void rejectsEmptyValuesAndInvalidUtf8() {
    assertThat(((ParseResult.Rejected) OrderParser.parse((byte[]) null)).reason())
        .isEqualTo("empty value");
    assertThat(((ParseResult.Rejected) OrderParser.parse(new byte[0])).reason())
        .isEqualTo("empty value");
    assertThat(rejected("   ")).isEqualTo("empty value");
    byte[] latin1 =
        CONTRACT_EXAMPLE.replace("CUS_60", "CUS_é").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(((ParseResult.Rejected) OrderParser.parse(latin1)).reason())
        .isEqualTo("not valid UTF-8");
    assertThat(OrderParser.rawText(latin1)).contains("CUS_\uFFFD");
  }

  @Test
  void acceptsUtf8CustomerIds() {
    byte[] utf8 = CONTRACT_EXAMPLE.replace("CUS_60", "CUS_é").getBytes(StandardCharsets.UTF_8);
    assertThat(((ParseResult.Accepted) OrderParser.parse(utf8)).order().customerId())
        .isEqualTo("CUS_é");
  }

  private static final Instant WRITTEN = Instant.parse("2025-09-22T19:30:00Z");
  private static final OrderParser PARSER = new OrderParser(InputRules.DEFAULTS);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "+294248-01-01T00:00:00Z   | timestamp is more than FLOWDERS_MAX_CLOCK_SKEW (300 s) after",
        "-290309-01-01T00:00:00Z   | timestamp is before 1970-01-01T00:00:00Z",
        "0000-01-01T00:00:00Z      | timestamp is before 1970-01-01T00:00:00Z",
        "1000-06-15T12:00:00Z      | timestamp is before 1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.999999Z | timestamp is before 1970-01-01T00:00:00Z",
        "2099-01-01T00:00:00Z      | timestamp is more than FLOWDERS_MAX_CLOCK_SKEW (300 s) after",
        "2025-09-22T19:35:00.000001Z | timestamp is more than FLOWDERS_MAX_CLOCK_SKEW (300 s) after"
      })
  void rejectsEventTimesBeforeTheEpochOrTooFarAheadOfTheirRecord(String time, String reason) {
    assertThat(rejectedAt(CONTRACT_EXAMPLE.replace("2025-09-22T19:27:05.425770Z", time.strip())))
        .startsWith(reason.strip());
  }

  @Test
  void acceptsEventTimesFromTheEpochToTheRecordTimePlusTheSkew() {
    for (String time : List.of("1970-01-01T00:00:00Z", "2025-09-22T19:35:00Z")) {
      assertThat(
              PARSER.parse(
                  null,
                  CONTRACT_EXAMPLE
                      .replace("2025-09-22T19:27:05.425770Z", time)
                      .getBytes(StandardCharsets.UTF_8),
                  WRITTEN))
          .isInstanceOf(ParseResult.Accepted.class);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "` CUS_60`           | customer_id has leading or trailing whitespace",
        "`CUS_60 `           | customer_id has leading or trailing whitespace",
        "CUS_60\\u00a0     | customer_id has leading or trailing whitespace: 'CUS_60\\u00A0'",
        "\\u3000CUS_60     | customer_id has leading or trailing whitespace",
        "\\u2007CUS_60     | customer_id has leading or trailing whitespace",
        "CUS\\u200b_60     | customer_id contains a format character U+200B: 'CUS\\u200B_60'",
        "CUS_60\\ufeff     | customer_id contains a format character U+FEFF",
        "CUS\\u001b[31m_60 | customer_id contains a control character U+001B: 'CUS\\u001B[31m_60'",
        "CUS\\n60          | customer_id contains a control character U+000A: 'CUS\\u000A60'",
        "CUS\\u2028_60     | customer_id contains a line separator U+2028",
        "CUS_\\ud800       | customer_id contains an unpaired surrogate U+D800: 'CUS_\\uD800'",
        "CUS_\\udc00x      | customer_id contains an unpaired surrogate U+DC00",
        "`   `               | customer_id has leading or trailing whitespace"
      })
  void rejectsCustomerIdsThatLookAlikeOrReachTheTerminal(String jsonId, String reason) {
    String line = CONTRACT_EXAMPLE.replace("CUS_60", jsonId);
    String why = rejected(line);
    assertThat(why).startsWith(reason.strip());
    assertThat(why.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as("printable ASCII").isTrue();
  }

  @Test
  void acceptsCustomerIdsOfUpTo64CharactersInNfc() {
    String nfd = "CUS_e\u0301";
    assertThat(accepted(CONTRACT_EXAMPLE.replace("CUS_60", nfd)).customerId())
        .isEqualTo("CUS_\u00e9");
    assertThat(accepted(CONTRACT_EXAMPLE.replace("CUS_60", "x".repeat(64))).customerId())
        .hasSize(64);
    assertThat(accepted(CONTRACT_EXAMPLE.replace("CUS_60", "\ud83d\ude00".repeat(64))).customerId())
        .as("a surrogate pair is one character")
        .hasSize(128);
    assertThat(accepted(CONTRACT_EXAMPLE.replace("CUS_60", "ACME Corp")).customerId())
        .isEqualTo("ACME Corp");
    assertThat(rejected(CONTRACT_EXAMPLE.replace("CUS_60", "x".repeat(65))))
        .isEqualTo("customer_id is longer than 64 characters (65)");
  }

  @Test
  void aKeyMustBeTheCustomerIdWhenThereIsOne() {
    byte[] value = CONTRACT_EXAMPLE.getBytes(StandardCharsets.UTF_8);
    assertThat(PARSER.parse(utf8("CUS_60"), value, WRITTEN))
        .isInstanceOf(ParseResult.Accepted.class);
    assertThat(PARSER.parse(null, value, WRITTEN)).isInstanceOf(ParseResult.Accepted.class);
    assertThat(reason(PARSER.parse(utf8("CUS_61"), value, WRITTEN)))
        .isEqualTo("key does not match customer_id: key 'CUS_61', customer_id 'CUS_60'");
    assertThat(reason(PARSER.parse(utf8("CUS_60 "), value, WRITTEN)))
        .startsWith("key does not match customer_id");
    assertThat(reason(PARSER.parse(new byte[] {(byte) 0xC3}, value, WRITTEN)))
        .isEqualTo("key is not valid UTF-8");
    byte[] nfc = CONTRACT_EXAMPLE.replace("CUS_60", "CUS_\u00e9").getBytes(StandardCharsets.UTF_8);
    assertThat(PARSER.parse(utf8("CUS_e\u0301"), nfc, WRITTEN))
        .as("compared in NFC")
        .isInstanceOf(ParseResult.Accepted.class);
  }

  @Test
  void aRecordThatBreaksTheParserIsQuarantinedAsAnInternalError() {
    InternalRow broken =
        new GenericInternalRow(
            new Object[] {
              null,
              UTF8String.fromString("not bytes"),
              UTF8String.fromString("orders"),
              0,
              7L,
              DateTimeUtils.instantToMicros(WRITTEN)
            });
    InternalRow parsed = ParsedRecords.toRow(PARSER, new ParsedRecords.Topics(), broken);
    assertThat(parsed.getUTF8String(ParsedRecords.SCHEMA.fieldIndex(ParsedRecords.REASON)))
        .asString()
        .startsWith("internal error: java.lang.ClassCastException");
    assertThat(parsed.getUTF8String(ParsedRecords.SCHEMA.fieldIndex(ParsedRecords.RAW_VALUE)))
        .asString()
        .isEqualTo("not bytes");
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String reason(ParseResult result) {
    assertThat(result).isInstanceOf(ParseResult.Rejected.class);
    return ((ParseResult.Rejected) result).reason();
  }

  private static String rejectedAt(String json) {
    return reason(PARSER.parse(null, utf8(json), WRITTEN));
  }

  private static Order accepted(String json) {
    ParseResult result = OrderParser.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(ParseResult.Accepted.class);
    return ((ParseResult.Accepted) result).order();
  }

  private static String rejected(String json) {
    ParseResult result = OrderParser.parse(json.getBytes(StandardCharsets.UTF_8));
    assertThat(result).isInstanceOf(ParseResult.Rejected.class);
    return ((ParseResult.Rejected) result).reason();
  }
}
