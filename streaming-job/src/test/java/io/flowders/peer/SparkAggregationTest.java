package io.flowders.peer;

import static io.flowders.sink.TestSpark.kafkaRow;
import static io.flowders.sink.TestSpark.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.parse.ParsedRecords;
import io.flowders.sink.TestSpark;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

class SparkAggregationTest {

  private final SparkSession spark = TestSpark.session();

  @Test
  void emitsEachWindowOnceTheWatermarkPassesItWithExactTotals() throws Exception {
    MemoryStream<Row> topic =
        MemoryStream.apply(Encoders.row(ParsedRecords.KAFKA_SCHEMA), spark.sqlContext());
    StreamingQuery query =
        SparkAggregation.totals(topic.toDF())
            .writeStream()
            .format("memory")
            .queryName("peer_totals")
            .outputMode("append")
            .start();
    try {
      add(
          topic,
          kafkaRow(0, 0, order(1, "CUS_1", "0.10", "2025-09-22T19:27:05Z")),
          kafkaRow(0, 1, order(2, "CUS_1", "0.20", "2025-09-22T19:27:59.999999Z")),
          kafkaRow(1, 0, order(3, "CUS_2", "608.21", "2025-09-22T19:28:00Z")));
      query.processAllAvailable();
      assertThat(spark.table("peer_totals").count()).isZero();
      // 19:30 puts the watermark at 19:29: both windows before it close
      add(topic, kafkaRow(1, 1, order(4, "CUS_2", "1.00", "2025-09-22T19:30:00Z")));
      query.processAllAvailable();
      add(topic, kafkaRow(1, 2, order(5, "CUS_2", "1.00", "2025-09-22T19:30:01Z")));
      query.processAllAvailable();
    } finally {
      query.stop();
    }

    assertThat(
            spark.table("peer_totals").orderBy("window_start").collectAsList().stream()
                .map(Row::toString))
        .containsExactly(
            "[2025-09-22 19:27:00.0,2025-09-22 19:28:00.0,CUS_1,2,0.30]",
            "[2025-09-22 19:28:00.0,2025-09-22 19:29:00.0,CUS_2,1,608.21]");
  }

  private static void add(MemoryStream<Row> topic, Row... rows) {
    topic.addData(CollectionConverters.asScala(List.of(rows)).toSeq());
  }
}
