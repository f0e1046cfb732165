package io.flowders.job;

import com.sun.management.OperatingSystemMXBean;
import io.flowders.aggregation.OrderAggregation;
import io.flowders.metrics.JobMetrics;
import io.flowders.metrics.MetricsServer;
import io.flowders.metrics.ProgressListener;
import io.flowders.parse.InputRules;
import io.flowders.sink.BatchWriter;
import io.flowders.sink.ConsoleTable;
import io.flowders.sink.IcebergTables;
import io.flowders.sink.ReportLog;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The streaming job: Kafka topic → {@link OrderParser} → {@link BatchWriter} (Iceberg tables and
 * console), one query, no Spark state store. {@code --once} processes what the topic holds and
 * exits 0.
 */
public final class OrdersJob {

  public static final String QUERY_NAME = "flowders-orders";

  /**
   * SIGTERM ({@code ./flowders down}, {@code docker stop}) and Ctrl-C stop the query between
   * micro-batches, before the JVM's shutdown begins: once it has, Spark's and Iceberg's shutdown
   * hooks stop the context and thread pools under the running batch, which then fails.
   */
  private static final List<String> STOP_SIGNALS = List.of("TERM", "INT");

  /** Less than the 30 s that ./flowders down and docker allow before SIGKILL. */
  static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

  private static final Logger LOG = LoggerFactory.getLogger(OrdersJob.class);

  private final SparkSession spark;
  private final JobConfig config;
  private final BatchWriter writer;
  private final AtomicLong records = new AtomicLong();
  private final JobMetrics metrics;
  private volatile StreamingQuery running;
  private volatile Thread stopper;

  public OrdersJob(SparkSession spark, JobConfig config, IcebergTables tables) {
    this.spark = spark;
    this.config = config;
    this.writer = new BatchWriter(tables, config.watermark(), new ConsoleTable(System.out));
    writer.addListener(report -> records.addAndGet(report.records()));
    this.metrics = new JobMetrics(Clock.systemUTC(), writer::newestEventTime);
    writer.addListener(metrics::record);
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
    OrdersJob job = new OrdersJob(spark, config, new IcebergTables());
    try {
      stopOnSignal(job);
      job.run();
    } catch (Exception e) {
      LOG.error("the job failed", e);
      status = 1;
    } finally {
      job.awaitStopper();
      spark.stop();
    }
    System.exit(status);
  }

  public BatchWriter writer() {
    return writer;
  }

  /**
   * Runs until the query stops: the topic drained with {@code --once}, else a failure or kill. The
   * metrics endpoint ({@link MetricsServer}) serves while it runs.
   */
  public void run() throws TimeoutException, StreamingQueryException {
    LOG.info("starting: {}", config);
    long started = System.nanoTime();
    ProgressListener progress = new ProgressListener(QUERY_NAME, metrics);
    spark.streams().addListener(progress);
    try (MetricsServer server =
        MetricsServer.start(metricsHost(), config.metricsPort(), metrics::render)) {
      StreamingQuery query = start(kafkaRecords());
      running = query;
      query.awaitTermination();
    } finally {
      spark.streams().removeListener(progress);
    }
    ReportLog.stopped(
        records.get(), Duration.ofNanos(System.nanoTime() - started), processCpuSeconds());
  }

  /**
   * Where the driver's UI binds: {@code spark.driver.bindAddress} when set (compose sets 0.0.0.0,
   * inside the container, and publishes the port on the host's 127.0.0.1), else loopback.
   */
  private String metricsHost() {
    return spark.sparkContext().conf().get("spark.driver.bindAddress", "127.0.0.1");
  }

  /**
   * The first signal stops the query between batches (or exits, before it started); a second one
   * exits at once. Only the job's own process does this: tests run the job inside their JVM.
   */
  @SuppressWarnings("restriction")
  private static void stopOnSignal(OrdersJob job) {
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : STOP_SIGNALS) {
      try {
        Signal.handle(
            new Signal(name),
            signal -> {
              StreamingQuery query = job.running;
              if (query != null && stopping.compareAndSet(false, true)) {
                Thread stopper = new Thread(() -> stopBetweenBatches(query), "flowders-stop");
                stopper.setDaemon(true);
                job.stopper = stopper;
                stopper.start();
              } else {
                System.exit(128 + signal.getNumber());
              }
            });
      } catch (IllegalArgumentException e) {
        LOG.debug("no SIG{} here: {}", name, e.getMessage());
      }
    }
  }

  /** query.stop() still cleans up after the query has ended: the context must outlive it. */
  private void awaitStopper() {
    Thread thread = stopper;
    if (thread != null) {
      try {
        thread.join(SHUTDOWN_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Waits (up to {@link #SHUTDOWN_GRACE}) for the micro-batch in progress, then stops the query.
   */
  private static void stopBetweenBatches(StreamingQuery query) {
    if (!query.isActive()) {
      return;
    }
    LOG.info(
        "stopping: letting the running micro-batch finish (at most {} s)",
        SHUTDOWN_GRACE.toSeconds());
    ReportLog.stopping(SHUTDOWN_GRACE);
    long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
    try {
      while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      query.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (TimeoutException e) {
      LOG.warn("the query did not stop in time: {}", e.getMessage());
    }
  }

  /**
   * CPU time says what the job costs even when other processes share the cores (wall time does
   * not).
   */
  private static double processCpuSeconds() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
        ? os.getProcessCpuTime() / 1e9
        : Double.NaN;
  }

  /** Starts the query over Kafka-shaped records (tests pass a MemoryStream). */
  public StreamingQuery start(Dataset<Row> kafkaRecords) throws TimeoutException {
    writer.open(spark);
    InputRules rules = config.inputRules();
    return kafkaRecords
        .writeStream()
        .queryName(QUERY_NAME)
        .option("checkpointLocation", config.checkpoint())
        .trigger(
            config.once()
                ? Trigger.AvailableNow()
                : Trigger.ProcessingTime(config.trigger().toMillis()))
        .foreachBatch(
            (VoidFunction2<Dataset<Row>, Long>)
                (batch, batchId) -> writer.call(OrderAggregation.parse(batch, rules), batchId))
        .start();
  }

  public Dataset<Row> kafkaRecords() {
    return kafkaRecords(spark, config);
  }

  /** The topic as the job reads it: from the earliest offset, with the configured Kafka client. */
  public static Dataset<Row> kafkaRecords(SparkSession spark, JobConfig config) {
    return spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", config.kafkaBootstrap())
        .option("subscribe", config.topic())
        .option("startingOffsets", "earliest")
        .option("failOnDataLoss", "true")
        .option("maxOffsetsPerTrigger", config.maxOffsetsPerTrigger())
        .option("kafka.fetch.max.wait.ms", "20")
        .options(config.kafkaOptions())
        .load();
  }
}
