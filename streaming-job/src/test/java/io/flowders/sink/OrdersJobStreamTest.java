package io.flowders.sink;

import static io.flowders.sink.TestSpark.kafkaRow;
import static io.flowders.sink.TestSpark.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.job.JobConfig;
import io.flowders.job.OrdersJob;
import io.flowders.parse.ParsedRecords;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The real streaming query (parse → foreachBatch writer) fed by a MemoryStream of Kafka records.
 */
class OrdersJobStreamTest {

  private final SparkSession spark = TestSpark.session();

  @Test
  void streamsTheSeedsOrdersIntoTheTablesAcrossTriggers() throws Exception {
    IcebergTables tables = TestSpark.freshTables();
    JobConfig config = TestSpark.config(Map.of(JobConfig.TRIGGER, "100 milliseconds"));
    OrdersJob job = new OrdersJob(spark, config, tables);
    List<BatchReport> reports = new CopyOnWriteArrayList<>();
    job.writer().addListener(reports::add);
    MemoryStream<Row> topic =
        MemoryStream.apply(Encoders.row(ParsedRecords.KAFKA_SCHEMA), spark.sqlContext());

    StreamingQuery query = job.start(topic.toDF());
    try {
      add(
          topic,
          kafkaRow(
              5,
              0,
              "{\"order_id\":4444,\"customer_id\":CUS_60,\"amount\":608.21,\"timestamp\":\"2025-09-22T19:27:05.425770\"}"),
          kafkaRow(5, 1, order(3560, "CUS_60", "204.67", "2025-09-22T19:27:11.433860")),
          kafkaRow(2, 0, order(3520, "CUS_52", "215.33", "2025-09-22T19:27:36.450808")));
      query.processAllAvailable();
      add(
          topic,
          kafkaRow(2, 1, order(1097, "CUS_52", "668.06", "2025-09-22T19:27:41.456560")),
          kafkaRow(2, 2, order(1097, "CUS_52", "668.06", "2025-09-22T19:27:41.456560")),
          kafkaRow(5, 2, order(4444, "CUS_60", "608.21", "2025-09-22T19:27:05.425770")));
      query.processAllAvailable();
    } finally {
      query.stop();
    }

    assertThat(TestSpark.asMap(spark.table(tables.totals())))
        .containsExactly(
            Map.entry("2025-09-22 19:27:00|CUS_52", "2|883.39"),
            Map.entry("2025-09-22 19:27:00|CUS_60", "2|812.88"));
    assertThat(
            spark
                .table(tables.rejected())
                .select("kafka_partition", "kafka_offset")
                .collectAsList())
        .extracting(Row::toString)
        .containsExactly("[5,0]");
    assertThat(reports.stream().mapToLong(BatchReport::records).sum()).isEqualTo(6);
    assertThat(reports.stream().mapToLong(BatchReport::duplicates).sum()).isEqualTo(1);
  }

  private static void add(MemoryStream<Row> topic, Row... rows) {
    topic.addData(CollectionConverters.asScala(List.of(rows)).toSeq());
  }
}
