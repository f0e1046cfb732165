package io.flowders.aggregation;

import io.flowders.sink.BatchReport;
import io.flowders.sink.BatchWriter;
import io.flowders.sink.ConsoleTable;
import com.sun.management.OperatingSystemMXBean;
import io.flowders.sink.IcebergTables;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job: Kafka topic → {@link OrderParser} → {@link BatchWriter} (Iceberg tables and
 * console), one query, no Spark state store. {@code --once} processes what the topic holds and
 * exits 0.
 */
public final class OrdersJob {

  public static final String QUERY_NAME = "flowders-orders";
  private static final Logger LOG = LoggerFactory.getLogger(OrdersJob.class);

  private final SparkSession spark;
  private final JobConfig config;
  private final BatchWriter writer;
  private final AtomicLong records = new AtomicLong();

  public OrdersJob(SparkSession spark, JobConfig config, IcebergTables tables) {
    this.spark = spark;
    this.config = config;
    this.writer = new BatchWriter(tables, config.watermark(), new ConsoleTable(System.out));
    writer.addListener(report -> records.addAndGet(report.records()));
  }

  public static void main(String[] args) {
    JobConfig config;
    try {
      config = JobConfig.fromEnvironment(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSessions.builder(config).getOrCreate();
    int status = 0;
    try {
      new OrdersJob(spark, config, new IcebergTables()).run();
    } catch (Exception e) {
      LOG.error("the job failed", e);
      status = 1;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  public BatchWriter writer() {
    return writer;
  }

  /** Runs until the query stops: the topic drained with {@code --once}, else a failure or kill. */
  public void run() throws TimeoutException, StreamingQueryException {
    LOG.info("starting: {}", config);
    long started = System.nanoTime();
    StreamingQuery query = start(kafkaRecords());
    query.awaitTermination();
    double seconds = (System.nanoTime() - started) / 1e9;
    LOG.info("stopped: {} records in {} s ({} records/s; {} s of CPU since the JVM started)",
        records.get(), String.format("%.1f", seconds), Math.round(records.get() / seconds),
        String.format("%.1f", processCpuSeconds()));
  }

  /** CPU time says what the job costs even when other processes share the cores (wall time does not). */
  private static double processCpuSeconds() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1e9 : Double.NaN;
  }

  /** Starts the query over Kafka-shaped records (tests pass a MemoryStream). */
  public StreamingQuery start(Dataset<Row> kafkaRecords) throws TimeoutException {
    writer.open(spark);
    return OrderAggregation.parse(kafkaRecords)
        .writeStream()
        .queryName(QUERY_NAME)
        .option("checkpointLocation", config.checkpoint())
        .trigger(config.once() ? Trigger.AvailableNow() : Trigger.ProcessingTime(config.trigger()))
        .foreachBatch(writer)
        .start();
  }

  public Dataset<Row> kafkaRecords() {
    return spark.readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", config.kafkaBootstrap())
        .option("subscribe", config.topic())
        .option("startingOffsets", "earliest")
        .option("failOnDataLoss", "true")
        .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger())
        .load();
  }
}
