package io.flowders.sink;

import static io.flowders.sink.TestSpark.asMap;
import static io.flowders.sink.TestSpark.kafka;
import static io.flowders.sink.TestSpark.kafkaRow;
import static io.flowders.sink.TestSpark.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.parse.InputRules;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

  private final SparkSession spark = TestSpark.session();
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private IcebergTables tables;
  private BatchWriter writer;

  @BeforeEach
  void openWriter() {
    tables = TestSpark.freshTables();
    writer =
        new BatchWriter(
            tables,
            Duration.ofMinutes(1),
            new ConsoleTable(new PrintStream(console, true, StandardCharsets.UTF_8)));
    writer.open(spark);
  }

  @Test
  void tenOrdersOfTenCentsSumToExactlyOneEuro() {
    String[] dimes = new String[10];
    for (int i = 0; i < dimes.length; i++) {
      dimes[i] = order(100 + i, "CUS_1", "0.10", "2025-09-22T19:27:0" + i + "Z");
    }
    write(0, kafka(0, dimes));
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "10|1.00"));
  }

  @Test
  void printsTheSeedsTableForTheRowsABatchChanged() {
    write(
        7,
        kafka(
            0,
            order(4444, "CUS_60", "608.21", "2025-09-22T19:27:05.425770"),
            order(3560, "CUS_60", "204.67", "2025-09-22T19:27:11.433860"),
            order(7517, "CUS_58", "322.45", "2025-09-22T19:27:20.438745"),
            order(6987, "CUS_55", "866.6", "2025-09-22T19:27:26.443795")));
    assertThat(console.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
        -------------------------------------------
        Batch: 7
        -------------------------------------------
        +------------------------------------------+-----------+-------------+-------------+
        |window                                    |customer_id|client_orders|client_amount|
        +------------------------------------------+-----------+-------------+-------------+
        |{2025-09-22 19:27:00, 2025-09-22 19:28:00}|CUS_55     |1            |866.60       |
        |{2025-09-22 19:27:00, 2025-09-22 19:28:00}|CUS_58     |1            |322.45       |
        |{2025-09-22 19:27:00, 2025-09-22 19:28:00}|CUS_60     |2            |812.88       |
        +------------------------------------------+-----------+-------------+-------------+
        """);
  }

  @Test
  void countsADuplicateOrderIdOnceWithinAndAcrossBatches() {
    List<Row> first =
        List.of(
            kafkaRow(3, 10, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")),
            kafkaRow(3, 11, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")),
            kafkaRow(4, 10, order(2, "CUS_2", "7.00", "2025-09-22T19:27:02Z")));
    List<Row> second =
        List.of(
            kafkaRow(3, 12, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")),
            kafkaRow(3, 13, order(3, "CUS_1", "1.50", "2025-09-22T19:27:40Z")));
    BatchReport one = write(0, kafka(first));
    BatchReport two = write(1, kafka(second));

    assertThat(List.of(one.accepted(), one.duplicates(), two.accepted(), two.duplicates()))
        .containsExactly(2L, 1L, 1L, 1L);
    assertThat(totals())
        .containsExactly(
            Map.entry("2025-09-22 19:27:00|CUS_1", "2|6.50"),
            Map.entry("2025-09-22 19:27:00|CUS_2", "1|7.00"));
    assertThat(spark.table(tables.orders()).filter("order_id = 1").first().getLong(7))
        .as("the first record of the order is kept")
        .isEqualTo(10L);
    List<Row> all = new ArrayList<>(first);
    all.addAll(second);
    assertThat(asMap(OrderAggregation.recompute(kafka(all), InputRules.DEFAULTS)))
        .isEqualTo(totals());
  }

  @Test
  void replayingABatchLeavesEveryTableAsItWas() {
    Dataset<Row> batch =
        kafka(
            0,
            order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z"),
            "{\"order_id\":2,\"customer_id\":CUS_1}",
            order(3, "CUS_2", "7.25", "2025-09-22T19:28:01Z"));
    write(0, batch);
    Map<String, List<String>> before = snapshot();

    BatchReport replay = write(0, batch);

    assertThat(snapshot()).isEqualTo(before);
    assertThat(
            List.of(
                replay.accepted(), replay.duplicates(), replay.rejected(), replay.windowsUpdated()))
        .containsExactly(0L, 2L, 1L, 0L);
  }

  @Test
  void aReplayAfterTheLedgerCommitButBeforeTheTotalsCommitCatchesUp() {
    write(0, kafka(0, order(1, "CUS_1", "1.00", "2025-09-22T19:27:00Z")));
    Dataset<Row> batch =
        kafka(
            1,
            order(2, "CUS_1", "5.00", "2025-09-22T19:27:01Z"),
            order(3, "CUS_1", "2.50", "2025-09-22T19:27:02Z"));
    writer.afterOrdersCommit(
        () -> {
          throw new IllegalStateException("crash between the two commits");
        });
    assertThatThrownBy(() -> write(1, batch)).hasMessageContaining("crash");
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "1|1.00"));
    writer.afterOrdersCommit(() -> {});

    BatchReport replay = write(1, batch);

    assertThat(List.of(replay.accepted(), replay.duplicates(), replay.windowsUpdated()))
        .containsExactly(0L, 2L, 1L);
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "3|8.50"));
    assertThat(write(1, batch).windowsUpdated()).as("a second replay").isZero();
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "3|8.50"));
  }

  @Test
  void rereadingTheTopicWithALostCheckpointCountsNothingTwice() {
    List<Row> first =
        List.of(
            kafkaRow(0, 0, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")),
            kafkaRow(1, 0, order(2, "CUS_2", "7.00", "2025-09-22T19:27:02Z")));
    List<Row> second = List.of(kafkaRow(0, 1, order(3, "CUS_1", "1.25", "2025-09-22T19:28:01Z")));
    write(0, kafka(first));
    write(1, kafka(second));
    Map<String, String> before = totals();
    List<Row> all = new ArrayList<>(first);
    all.addAll(second);

    BatchReport again = write(0, kafka(all));

    assertThat(List.of(again.accepted(), again.duplicates())).containsExactly(0L, 3L);
    assertThat(totals()).isEqualTo(before).hasSize(3);
  }

  @Test
  void aCrashBetweenTheCommitsThenALostCheckpointStillCountsEveryOrderOnce() {
    List<Row> crashed =
        List.of(
            kafkaRow(0, 0, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")),
            kafkaRow(0, 1, order(2, "CUS_1", "2.50", "2025-09-22T19:27:02Z")));
    writer.afterOrdersCommit(
        () -> {
          throw new IllegalStateException("crash between the two commits");
        });
    assertThatThrownBy(() -> write(0, kafka(crashed))).hasMessageContaining("crash");
    writer.afterOrdersCommit(() -> {});
    assertThat(totals()).isEmpty();
    List<Row> all = new ArrayList<>(crashed);
    all.add(kafkaRow(0, 2, order(3, "CUS_1", "1.25", "2025-09-22T19:27:03Z")));

    // the checkpoint is gone: the topic is read again from the start, in other boundaries
    write(0, kafka(all.subList(0, 1)));
    write(1, kafka(all.subList(1, 3)));

    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "3|8.75"));
    assertThat(asMap(OrderAggregation.recompute(kafka(all), InputRules.DEFAULTS)))
        .isEqualTo(totals());
  }

  @Test
  void aSecondRecordOfAnOrderIdWithOtherContentIsQuarantinedNamingTheFirst() {
    write(0, kafka(0, order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z")));

    BatchReport report =
        write(
            1,
            kafka(
                1,
                order(1, "CUS_1", "5.00", "2025-09-22T19:27:01Z"),
                order(1, "CUS_1", "6.00", "2025-09-22T19:27:01Z"),
                order(1, "CUS_1", "5.00", "2025-09-23T08:00:00Z"),
                order(2, "CUS_2", "1.00", "2025-09-22T19:27:02Z"),
                order(2, "CUS_3", "9.00", "2025-09-22T19:27:02Z")));

    assertThat(totals())
        .containsExactly(
            Map.entry("2025-09-22 19:27:00|CUS_1", "1|5.00"),
            Map.entry("2025-09-22 19:27:00|CUS_2", "1|1.00"));
    assertThat(List.of(report.accepted(), report.duplicates(), report.rejected()))
        .containsExactly(1L, 1L, 3L);
    assertThat(report.rejectedByRule()).containsExactly(Map.entry("conflicting duplicate", 3L));
    assertThat(writer.watermark())
        .as("the quarantined copy dated a day later moves nothing")
        .hasToString("2025-09-22T19:26:02Z");
    assertThat(
            spark.table(tables.rejected()).orderBy("kafka_offset").collectAsList().stream()
                .map(r -> r.getLong(4) + " " + r.getString(1))
                .toList())
        .containsExactly(
            "2 conflicting duplicate: order_id 1 was counted first from orders partition 0 offset"
                + " 0; this one differs in amount",
            "3 conflicting duplicate: order_id 1 was counted first from orders partition 0 offset"
                + " 0; this one differs in timestamp",
            "5 conflicting duplicate: order_id 2 was counted first from orders partition 0 offset"
                + " 4; this one differs in customer_id, amount");
    assertThat(spark.table(tables.rejected()).filter("kafka_offset = 5").first().getString(0))
        .isEqualTo(
            "{\"order_id\":2,\"customer_id\":\"CUS_3\",\"amount\":9.00,"
                + "\"timestamp\":\"2025-09-22T19:27:02.000000Z\"}");
    assertThat(write(1, kafka(2, order(1, "CUS_1", "6.00", "2025-09-22T19:27:01Z"))).rejected())
        .as("a replay quarantines nothing twice")
        .isEqualTo(1);
    assertThat(spark.table(tables.rejected()).count()).isEqualTo(3);
  }

  @Test
  void totalsOfTheLargestAmountsNeitherOverflowNorTurnNull() {
    InputRules rules = new InputRules(Duration.ofMinutes(5), new BigDecimal("9999999999999999.99"));
    String max = "9999999999999999.99";
    writer.write(
        OrderAggregation.parse(
            kafka(
                0,
                order(1, "CUS_1", max, "2025-09-22T19:27:01Z"),
                order(2, "CUS_1", max, "2025-09-22T19:27:02Z")),
            rules),
        0);
    writer.write(
        OrderAggregation.parse(kafka(2, order(3, "CUS_1", max, "2025-09-22T19:27:03Z")), rules), 1);
    assertThat(totals())
        .containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "3|29999999999999999.97"));
  }

  @Test
  void totalsTablesOfEarlierVersionsAreWidenedInPlaceAndKeepTheirRows() {
    IcebergTables old = TestSpark.freshTables();
    spark.sql(
        "CREATE NAMESPACE IF NOT EXISTS " + old.totals().replace(".customer_minute_totals", ""));
    spark.sql(
        "CREATE TABLE "
            + old.totals()
            + " (window_start timestamp, window_end timestamp, customer_id string,"
            + " client_orders bigint, client_amount decimal(18,2), updated_at timestamp)"
            + " USING iceberg PARTITIONED BY (days(window_start))"
            + " TBLPROPERTIES ('format-version'='2')");
    spark.sql(
        "INSERT INTO "
            + old.totals()
            + " VALUES (TIMESTAMP '2025-09-22 19:27:00', TIMESTAMP '2025-09-22 19:28:00', 'CUS_1',"
            + " 1, 1.00, TIMESTAMP '2025-09-22 19:27:30')");
    BatchWriter upgraded =
        new BatchWriter(old, Duration.ofMinutes(1), new ConsoleTable(System.out));
    upgraded.open(spark);
    upgraded.write(
        OrderAggregation.parse(
            kafka(0, order(2, "CUS_1", "2.50", "2025-09-22T19:27:40Z")), InputRules.DEFAULTS),
        0);
    assertThat(spark.table(old.totals()).schema().apply("client_amount").dataType().sql())
        .isEqualTo("DECIMAL(38,2)");
    assertThat(asMap(spark.table(old.totals())))
        .containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "2|3.50"));
  }

  @Test
  void tagsBothCommitsOfABatchWithItsKafkaOffsets() throws Exception {
    write(4, kafka(0, order(1, "CUS_1", "1.00", "2025-09-22T19:27:00Z")));
    for (String table : List.of(tables.orders(), tables.totals())) {
      Map<String, String> summary =
          Spark3Util.loadIcebergTable(spark, table).currentSnapshot().summary();
      assertThat(summary)
          .containsEntry(BatchMarker.SPARK_BATCH_ID_KEY, "4")
          .containsKey(BatchMarker.SUMMARY_KEY);
    }
    assertThat(
            Spark3Util.loadIcebergTable(spark, tables.orders())
                .currentSnapshot()
                .summary()
                .get(BatchMarker.SUMMARY_KEY))
        .isEqualTo(
            Spark3Util.loadIcebergTable(spark, tables.totals())
                .currentSnapshot()
                .summary()
                .get(BatchMarker.SUMMARY_KEY));
  }

  @Test
  void countsAndReportsAnOrderOlderThanTheWatermark() {
    write(0, kafka(0, order(1, "CUS_1", "1.00", "2025-09-22T19:40:00Z")));
    assertThat(writer.watermark()).hasToString("2025-09-22T19:39:00Z");

    BatchReport late =
        write(
            1,
            kafka(
                1,
                order(2, "CUS_1", "2.00", "2025-09-22T19:20:30Z"),
                order(3, "CUS_1", "3.00", "2025-09-22T19:39:30Z")));

    assertThat(late.late()).isEqualTo(1);
    assertThat(late.accepted()).isEqualTo(2);
    assertThat(totals())
        .containsExactly(
            Map.entry("2025-09-22 19:20:00|CUS_1", "1|2.00"),
            Map.entry("2025-09-22 19:39:00|CUS_1", "1|3.00"),
            Map.entry("2025-09-22 19:40:00|CUS_1", "1|1.00"));
  }

  @Test
  void aRestartedWriterKnowsTheEventTimeAlreadyCounted() {
    write(0, kafka(0, order(1, "CUS_1", "1.00", "2025-09-22T19:40:00Z")));
    BatchWriter restarted =
        new BatchWriter(tables, Duration.ofMinutes(1), new ConsoleTable(System.out));
    restarted.open(spark);
    assertThat(restarted.watermark()).hasToString("2025-09-22T19:39:00Z");
  }

  @Test
  void putsBothSidesOfAMinuteBoundaryInTheirOwnWindowsInUtc() {
    write(
        0,
        kafka(
            0,
            order(1, "CUS_1", "1.00", "2025-09-22T19:27:59.999999Z"),
            order(2, "CUS_1", "2.00", "2025-09-22T19:28:00Z"),
            order(3, "CUS_1", "4.00", "2025-09-22T21:28:30+02:00")));
    assertThat(totals())
        .containsExactly(
            Map.entry("2025-09-22 19:27:00|CUS_1", "1|1.00"),
            Map.entry("2025-09-22 19:28:00|CUS_1", "2|6.00"));
  }

  @Test
  void storesEveryRejectedRecordOnceWithItsReasonAlsoAfterAReplay() {
    String good = order(1, "CUS_1", "1.00", "2025-09-22T19:27:00Z");
    Dataset<Row> batch =
        kafka(
            0,
            good,
            null,
            "{\"order_id\":4444,\"customer_id\":CUS_60,\"amount\":608.21,\"timestamp\":\"2025-09-22T19:27:05\"}",
            good.replace("\"order_id\":1", "\"order_id\":\"1\""),
            good.replace("\"customer_id\":\"CUS_1\"", "\"customer_id\":\"\""),
            good.replace("1.00", "0"),
            good.replace("1.00", "1.005"),
            good.replace("2025-09-22T19:27:00Z", "yesterday"),
            good.replace(",\"amount\":1.00", ""));
    BatchReport report = write(0, batch);
    BatchReport replay = write(0, batch);

    assertThat(report.rejected()).isEqualTo(8);
    assertThat(report.rejectedByRule())
        .containsExactly(
            Map.entry("amount has more than 2 decimals", 1L),
            Map.entry("amount must be > 0", 1L),
            Map.entry("customer_id is empty", 1L),
            Map.entry("empty value", 1L),
            Map.entry("missing amount", 1L),
            Map.entry("not valid JSON", 1L),
            Map.entry("order_id must be a JSON integer", 1L),
            Map.entry("timestamp is not ISO-8601", 1L));
    assertThat(replay.rejectedByRule()).isEqualTo(report.rejectedByRule());
    List<String> rejected =
        spark.table(tables.rejected()).orderBy("kafka_offset").collectAsList().stream()
            .map(r -> r.getLong(4) + " " + r.getString(1))
            .toList();
    assertThat(rejected).hasSize(8);
    assertThat(rejected.get(0)).isEqualTo("1 empty value");
    assertThat(rejected.get(1)).startsWith("2 not valid JSON: Unrecognized token 'CUS_60'");
    assertThat(rejected.subList(2, 8))
        .containsExactly(
            "3 order_id must be a JSON integer, not a string",
            "4 customer_id is empty",
            "5 amount must be > 0, got 0",
            "6 amount has more than 2 decimals: 1.005",
            "7 timestamp is not ISO-8601: yesterday",
            "8 missing amount");
    Row seedLine = spark.table(tables.rejected()).filter("kafka_offset = 2").first();
    assertThat(seedLine.getString(0)).contains("\"customer_id\":CUS_60");
    assertThat(seedLine.getString(2)).isEqualTo("orders");
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "1|1.00"));
  }

  @Test
  void upsertsKeepOneRowPerKeyAndMaintenanceFoldsTheirDeletesAway() {
    for (int i = 0; i < 3; i++) {
      write(i, kafka(i, order(10 + i, "CUS_1", "1.10", "2025-09-22T19:27:0" + i + "Z")));
    }
    Map<String, String> expected = Map.of("2025-09-22 19:27:00|CUS_1", "3|3.30");
    assertThat(totals()).isEqualTo(expected);
    assertThat(spark.table(tables.totals() + ".delete_files").count()).isEqualTo(2);

    new TableMaintenance(tables, java.time.Clock.systemUTC()).run(spark, java.time.Instant.now());

    assertThat(totals()).isEqualTo(expected);
    assertThat(spark.table(tables.totals() + ".delete_files").count()).isZero();
    assertThat(spark.table(tables.totals() + ".data_files").count()).isEqualTo(1);
  }

  @Test
  void aRestartedWriterAddsToTheTotalsTheTableHolds() {
    write(0, kafka(0, order(1, "CUS_1", "1.00", "2025-09-22T19:27:00Z")));
    BatchWriter restarted =
        new BatchWriter(tables, Duration.ofMinutes(1), new ConsoleTable(System.out));
    restarted.open(spark);
    restarted.write(
        OrderAggregation.parse(
            kafka(1, order(2, "CUS_1", "2.50", "2025-09-22T19:27:30Z")), InputRules.DEFAULTS),
        1);
    assertThat(totals()).containsExactly(Map.entry("2025-09-22 19:27:00|CUS_1", "2|3.50"));
  }

  @Test
  void anEmptyBatchCommitsNothing() {
    assertThat(write(0, kafka(0))).isNull();
    assertThat(snapshot().get("snapshots")).containsOnly("0");
  }

  private BatchReport write(long batchId, Dataset<Row> kafkaRecords) {
    return writer.write(OrderAggregation.parse(kafkaRecords, InputRules.DEFAULTS), batchId);
  }

  private Map<String, String> totals() {
    return asMap(spark.table(tables.totals()));
  }

  /** Every row of the three tables, and how many snapshots each has. */
  private Map<String, List<String>> snapshot() {
    Map<String, List<String>> state = new TreeMap<>();
    List<String> snapshots = new ArrayList<>();
    for (String table : List.of(tables.totals(), tables.orders(), tables.rejected())) {
      state.put(
          table, spark.table(table).collectAsList().stream().map(Row::toString).sorted().toList());
      snapshots.add(Long.toString(spark.table(table + ".snapshots").count()));
    }
    state.put("snapshots", snapshots);
    return state;
  }
}
