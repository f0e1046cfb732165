package io.flowders.aggregation;

import static io.flowders.sink.TestSpark.kafka;
import static io.flowders.sink.TestSpark.kafkaRow;
import static io.flowders.sink.TestSpark.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.parse.InputRules;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class OrderAggregationTest {

  private static final String T = "2025-09-22T19:27:05.425770Z";

  private static Dataset<Row> accepted(Row... records) {
    return OrderAggregation.acceptedRecords(
        OrderAggregation.parse(kafka(List.of(records)), InputRules.DEFAULTS));
  }

  /** The ledger's shape: what the accepted records of an earlier batch became. */
  private static Dataset<Row> ledger(Row... records) {
    return OrderAggregation.dedupe(accepted(records));
  }

  @Test
  void idsThatAreEachTheirOwnNeedNoComparisonAndAllCount() {
    Dataset<Row> batch =
        accepted(
            kafkaRow(0, 0, order(1, "CUS_1", "1.00", T)),
            kafkaRow(1, 0, order(2, "CUS_2", "2.00", T)));
    Dataset<Row> counted = ledger(kafkaRow(0, 7, order(3, "CUS_1", "3.00", T)));

    assertThat(OrderAggregation.eachIdOnce(batch, counted)).isTrue();
    OrderAggregation.Duplicates fast = OrderAggregation.Duplicates.allFresh(batch);
    OrderAggregation.Duplicates full = OrderAggregation.duplicates(batch, counted);
    assertThat(fast.fresh().collectAsList())
        .containsExactlyInAnyOrderElementsOf(full.fresh().collectAsList())
        .hasSize(2);
    assertThat(fast.conflicts().count()).isZero();
  }

  @Test
  void anIdTwiceInTheBatchOrAlreadyCountedIsNotEachItsOwn() {
    Row one = kafkaRow(0, 0, order(1, "CUS_1", "1.00", T));
    Row again = kafkaRow(1, 0, order(1, "CUS_1", "1.00", T));
    Row other = kafkaRow(1, 1, order(2, "CUS_2", "2.00", T));

    assertThat(OrderAggregation.eachIdOnce(accepted(one, again, other), ledger())).isFalse();
    assertThat(OrderAggregation.eachIdOnce(accepted(other), ledger(one))).isTrue();
    assertThat(OrderAggregation.eachIdOnce(accepted(one, other), ledger(again))).isFalse();
  }

  private static Dataset<Row> ledger() {
    return ledger(new Row[0]);
  }
}
