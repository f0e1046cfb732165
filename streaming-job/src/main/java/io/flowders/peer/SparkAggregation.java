package io.flowders.peer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

import io.flowders.job.JobConfig;
import io.flowders.job.OrdersJob;
import io.flowders.job.SparkSessions;
import io.flowders.sink.IcebergTables;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A peer of the job in {@code ./flowders bench} ({@code --readers spark-aggregation}): the
 * per-customer, per-minute totals as Spark's own streaming aggregation computes them, written the
 * way its guide writes one: {@code from_json} with the schema, a 1-minute watermark, {@code
 * groupBy(window, customer_id)} with count and sum, appended by Iceberg's streaming sink to a table
 * of its own, {@code AvailableNow}. Same session settings and Kafka source as the job; none of the
 * job's rules (no dedup by order id, no rejects table, late orders dropped by the watermark, the
 * newest windows left open at the end), so it does less than the job.
 *
 * <p>Reads the job's settings (topic, warehouse, checkpoint, Kafka client); prints one JSON line
 * {@code {"records":N,"seconds":S}} once it has read what the topic held at its start.
 */
public final class SparkAggregation {

  static final String TABLE = IcebergTables.DEFAULT_NAMESPACE + ".spark_aggregation_totals";

  static final StructType ORDER =
      new StructType()
          .add("order_id", DataTypes.LongType)
          .add("customer_id", DataTypes.StringType)
          .add("amount", DataTypes.createDecimalType(18, 2))
          .add("timestamp", DataTypes.TimestampType);

  private SparkAggregation() {}

  public static void main(String[] args) throws Exception {
    JobConfig config = JobConfig.fromEnvironment(args);
    SparkSession spark = SparkSessions.builder(config).getOrCreate();
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS " + IcebergTables.DEFAULT_NAMESPACE);
      spark.sql(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (window_start TIMESTAMP, window_end TIMESTAMP, customer_id STRING,"
              + " client_orders BIGINT, client_amount DECIMAL(28,2)) USING iceberg");
      long started = System.nanoTime();
      StreamingQuery query =
          totals(OrdersJob.kafkaRecords(spark, config))
              .writeStream()
              .format("iceberg")
              .outputMode("append")
              .trigger(Trigger.AvailableNow())
              .option("checkpointLocation", config.checkpoint())
              .toTable(TABLE);
      query.awaitTermination();
      double seconds = (System.nanoTime() - started) / 1e9;
      long records =
          Arrays.stream(query.recentProgress())
              .mapToLong(StreamingQueryProgress::numInputRows)
              .sum();
      System.out.printf("{\"records\":%d,\"seconds\":%.3f}%n", records, seconds);
    } finally {
      spark.stop();
    }
  }

  /** Kafka records → one row per closed (window, customer): the tutorial's aggregation. */
  static Dataset<Row> totals(Dataset<Row> kafkaRecords) {
    return kafkaRecords
        .select(from_json(col("value").cast("string"), ORDER).as("order"))
        .select("order.*")
        .withWatermark("timestamp", "1 minute")
        .groupBy(window(col("timestamp"), "1 minute"), col("customer_id"))
        .agg(count(lit(1)).as("client_orders"), sum("amount").as("client_amount"))
        .select(
            col("window.start").as("window_start"),
            col("window.end").as("window_end"),
            col("customer_id"),
            col("client_orders"),
            col("client_amount"));
  }
}
