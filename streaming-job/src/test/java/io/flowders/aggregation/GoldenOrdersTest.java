package io.flowders.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.flowders.parse.InputRules;
import io.flowders.parse.OrderParser;
import io.flowders.parse.ParseResult;
import io.flowders.parse.ParsedRecords;
import io.flowders.sink.TestSpark;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The golden orders ({@code src/test/resources/golden/}, also read by the producer's tests, which
 * require its JSON to be these lines byte for byte): every line is an order the job's parser
 * accepts, and the job's aggregation of them is exactly the expected totals, in the totals table's
 * columns.
 */
class GoldenOrdersTest {

  private static final List<String> ORDERS = lines("/golden/orders.jsonl");
  private static final List<String> EXPECTED_TOTALS = lines("/golden/golden-totals.csv");

  @Test
  void theParserAcceptsEveryGoldenOrder() {
    assertThat(ORDERS).isNotEmpty();
    assertThat(ORDERS)
        .allSatisfy(
            line -> assertThat(OrderParser.parse(line)).isInstanceOf(ParseResult.Accepted.class));
  }

  @Test
  void theAggregationOfTheGoldenOrdersIsTheGoldenTotals() {
    List<Row> kafka = new ArrayList<>();
    for (int i = 0; i < ORDERS.size(); i++) {
      kafka.add(TestSpark.kafkaRow(i % 3, i, ORDERS.get(i)));
    }

    Dataset<Row> recomputed =
        OrderAggregation.recompute(TestSpark.kafka(kafka), InputRules.DEFAULTS);
    List<String> totals =
        recomputed.collectAsList().stream()
            .map(
                r ->
                    String.join(
                        ",",
                        r.<Timestamp>getAs(ParsedRecords.WINDOW_START).toInstant().toString(),
                        r.getAs(ParsedRecords.CUSTOMER_ID),
                        r.<Long>getAs(OrderAggregation.CLIENT_ORDERS).toString(),
                        r.<BigDecimal>getAs(OrderAggregation.CLIENT_AMOUNT).toPlainString()))
            .toList();

    assertThat(EXPECTED_TOTALS.get(0))
        .isEqualTo(
            String.join(
                ",",
                ParsedRecords.WINDOW_START,
                ParsedRecords.CUSTOMER_ID,
                OrderAggregation.CLIENT_ORDERS,
                OrderAggregation.CLIENT_AMOUNT));
    StructType table = SparkSchemaUtil.convert(TableSchemas.TOTALS);
    assertThat(recomputed.schema().fields())
        .extracting(StructField::name, StructField::dataType)
        .containsExactly(
            Arrays.stream(TableSchemas.columnsExcept(TableSchemas.TOTALS, TableSchemas.UPDATED_AT))
                .map(name -> tuple(name, table.apply(name).dataType()))
                .toArray(Tuple[]::new));
    assertThat(totals)
        .containsExactlyInAnyOrderElementsOf(EXPECTED_TOTALS.subList(1, EXPECTED_TOTALS.size()));
  }

  private static List<String> lines(String resource) {
    try (InputStream in = GoldenOrdersTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
