package io.flowders.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RejectRulesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "empty value | empty value",
        "not valid UTF-8 | not valid UTF-8",
        "not valid JSON: Unexpected character ('x' (code 120)) | not valid JSON",
        "amount must be > 0, got -3.00 | amount must be > 0",
        "amount has more than 2 decimals: 3.001 | amount has more than 2 decimals",
        "amount is above FLOWDERS_MAX_AMOUNT (1000000000.00): 2e9 | amount is above"
            + " FLOWDERS_MAX_AMOUNT",
        "timestamp is before 1970-01-01T00:00:00Z: 1960-01-01T00:00:00Z | timestamp is before",
        "timestamp is more than FLOWDERS_MAX_CLOCK_SKEW (300 s) after the record's Kafka timestamp"
            + " x: y | timestamp is more than FLOWDERS_MAX_CLOCK_SKEW",
        "order_id does not fit a 64-bit integer: 99999999999999999999 | order_id does not fit a"
            + " 64-bit integer",
        "customer_id is longer than 64 characters (70) | customer_id is longer than 64 characters",
        "key does not match customer_id: key 'CUS_1', customer_id 'CUS_2' | key does not match"
            + " customer_id",
        "conflicting duplicate: order_id 7 was counted first from orders partition 1 offset 2;"
            + " this one differs in amount | conflicting duplicate",
        "missing order_id | missing order_id",
        "'quoted' first | other",
      })
  void aRuleIsTheReasonsLeadingWordsBeforeAnyValue(String reason, String rule) {
    assertThat(RejectRules.rule(reason)).isEqualTo(rule);
  }
}
