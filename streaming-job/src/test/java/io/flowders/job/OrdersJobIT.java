package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowders.metrics.JobMetrics;
import io.flowders.metrics.MetricsServer;
import io.flowders.sink.BatchReport;
import io.flowders.sink.IcebergTables;
import io.flowders.sink.ReportLog;
import io.flowders.sink.TestSpark;
import io.flowders.stack.Await;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.Ports;
import io.flowders.stack.S3Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The job on real parts: a 3-broker Kafka cluster, an S3 server, Iceberg over S3A, Spark local[2].
 * Each step sends more orders (with duplicates and malformed records), runs the job (in this JVM,
 * then as a child JVM launched like ./flowders does, once killed mid-run) and requires the tables
 * to equal what the test computed on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrdersJobIT {

  private static final Instant T0 = Instant.parse("2025-09-22T19:00:00Z");
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
  private static final IcebergTables TABLES = new IcebergTables();

  private static KafkaCluster kafka;
  private static S3Server s3;
  private static Path checkpoint;
  private static Map<String, String> env;
  private static SparkSession spark;
  private static TopicOrders topic;

  @BeforeAll
  static void startStack() throws IOException {
    kafka = KafkaCluster.shared();
    s3 = S3Server.shared();
    checkpoint = Files.createTempDirectory("flowders-job-it");
    env =
        Map.of(
            JobConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
            JobConfig.S3_ENDPOINT, s3.endpoint(),
            JobConfig.S3_ACCESS_KEY, s3.accessKey(),
            JobConfig.S3_SECRET_KEY, s3.secretKey(),
            JobConfig.SPARK_MASTER, "local[2]",
            JobConfig.CHECKPOINT, checkpoint.resolve("orders-job").toString(),
            JobConfig.MAX_OFFSETS_PER_TRIGGER, "1000",
            JobConfig.METRICS_PORT, Integer.toString(Ports.free()));
    spark =
        SparkSessions.builder(JobConfig.load(env))
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    topic = new TopicOrders(kafka.bootstrapServers(), JobConfig.load(env).topic());
  }

  @AfterAll
  static void stop() throws IOException {
    if (topic != null) {
      topic.close();
    }
    try (var paths = Files.walk(checkpoint)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void aFirstRunCountsEveryOrderOnceAndRejectsEveryMalformedRecord() throws Exception {
    List<TopicOrders.Sent> sent = topic.sendNew(300, T0);
    topic.resend(sent.subList(0, 20));
    topic.sendMalformed(
        "{\"order_id\":4444,\"customer_id\":CUS_60,\"amount\":608.21,\"timestamp\":\"2025-09-22T19:27:05.425770\"}");
    topic.sendMalformed("not json at all");
    topic.sendMalformed(
        "{\"order_id\":1,\"customer_id\":\"CUS_1\",\"amount\":-3.00,\"timestamp\":\"2025-09-22T19:01:00Z\"}");
    topic.sendMalformed(
        "{\"order_id\":2,\"customer_id\":\"CUS_1\",\"amount\":3.001,\"timestamp\":\"2025-09-22T19:01:00Z\"}");
    topic.sendMalformed(
        "{\"order_id\":3,\"customer_id\":\"CUS_1\",\"timestamp\":\"2025-09-22T19:01:00Z\"}");
    topic.sendMalformed(null);
    topic.flush();

    List<BatchReport> reports = runOnceHere();

    assertTablesMatchTheTopic();
    assertThat(reports.stream().mapToLong(BatchReport::duplicates).sum()).isEqualTo(20);
  }

  @Test
  @Order(2)
  void aSecondRunAddsOnlyWhatIsNewAndCountsALateOrder() throws Exception {
    List<TopicOrders.Sent> more = topic.sendNew(200, T0.plus(Duration.ofMinutes(5)));
    topic.resend(more.subList(0, 10));
    topic.sendMalformed(
        "{\"order_id\":\"7\",\"customer_id\":\"CUS_1\",\"amount\":3.00,\"timestamp\":\"2025-09-22T19:01:00Z\"}");
    topic.flush();
    topic.sendNew(1, T0.minus(Duration.ofMinutes(30)));
    topic.flush();

    List<BatchReport> reports = runOnceHere();

    assertTablesMatchTheTopic();
    assertThat(reports.stream().mapToLong(BatchReport::accepted).sum()).isEqualTo(201);
    assertThat(reports.stream().mapToLong(BatchReport::late).sum()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void aJobKilledMidRunThenRunAgainCountsNothingTwice() throws Exception {
    topic.sendNew(4000, T0.plus(Duration.ofMinutes(10)));
    topic.sendMalformed("{}");
    topic.flush();

    try (JvmProcess killed = job("--once").start()) {
      killed.awaitReady(
          "a first commit to the orders table", JOB_TIMEOUT, () -> ordersCommitted(killed.log()));
      killed.kill();
    }
    assertThat(totals()).as("the kill left work undone").isNotEqualTo(topic.expectedTotals());

    List<TopicOrders.Sent> last = topic.sendNew(100, T0.plus(Duration.ofMinutes(80)));
    topic.resend(last.subList(0, 5));
    topic.flush();
    JvmProcess.Result result = job("--once").run(JOB_TIMEOUT);
    assertThat(result.exitCode()).as(result.stdout() + result.stderr()).isZero();
    assertThat(reports(result.stderr(), ReportLog.STOPPED)).hasSize(1);

    assertTablesMatchTheTopic();
  }

  @Test
  @Order(4)
  void theMetricsEndpointCountsWhatTheRunningJobWroteAndSigtermStopsItCleanly() throws Exception {
    long countedBefore = topic.uniqueOrders();
    List<TopicOrders.Sent> sent = topic.sendNew(3000, T0.plus(Duration.ofMinutes(90)));
    topic.resend(sent.subList(0, 10));
    topic.sendMalformed(
        "{\"order_id\":9,\"customer_id\":\"CUS_1\",\"amount\":0.00,\"timestamp\":\"2025-09-22T19:01:00Z\"}");
    topic.flush();

    String log;
    try (JvmProcess streaming = job().env(JobConfig.TRIGGER, "1 second").start()) {
      streaming.awaitReady(
          "a first commit to the orders table",
          JOB_TIMEOUT,
          () -> ordersCommitted(streaming.log()));
      Await.until(
          "the metrics endpoint to count the 3011 records and no lag",
          JOB_TIMEOUT,
          () -> {
            Map<String, Double> m = scrape();
            return m.getOrDefault(JobMetrics.RECORDS, 0.0) == 3011
                && lag(m) == 0
                && m.keySet().stream().anyMatch(k -> k.startsWith(JobMetrics.LAG + "{"));
          });
      Instant beforeScrape = Instant.now();
      Map<String, Double> metrics = scrape();
      Instant afterScrape = Instant.now();
      // Orders behind the watermark of the batch that read them: how many depends on how the
      // records fell into batches, which the reports of those batches say.
      long lateReported =
          reports(streaming.log(), ReportLog.BATCH).stream()
              .mapToLong(batch -> batch.get("late").asLong())
              .sum();
      long written = spark.table(TABLES.orders()).count() - countedBefore;
      Instant newest =
          spark
              .table(TABLES.orders())
              .agg(functions.max("order_ts"))
              .first()
              .getTimestamp(0)
              .toInstant();
      assertThat(written).isEqualTo(3000);
      assertThat(metrics)
          .containsEntry(JobMetrics.ACCEPTED, (double) written)
          .containsEntry(JobMetrics.DUPLICATES, 10.0)
          .containsEntry(JobMetrics.REJECTED + "{reason=\"amount must be > 0\"}", 1.0)
          .containsEntry(JobMetrics.LATE, (double) lateReported)
          .containsEntry(JobMetrics.NEWEST_EVENT, newest.toEpochMilli() / 1000.0);
      assertThat(metrics.get(JobMetrics.FRESHNESS))
          .as("now - the newest event time written, when scraped")
          .isBetween(
              Duration.between(newest, beforeScrape).toMillis() / 1000.0 - 0.001,
              Duration.between(newest, afterScrape).toMillis() / 1000.0 + 0.001);
      assertThat(metrics.get(JobMetrics.BATCHES)).isGreaterThanOrEqualTo(3);
      assertThat(metrics.get(JobMetrics.STEP_SECONDS + "{step=\"orders\"}")).isPositive();
      streaming.stop(Duration.ofSeconds(40));
      log = streaming.log();
    }

    assertThat(reports(log, ReportLog.STOPPING)).hasSize(1);
    assertThat(reports(log, ReportLog.STOPPED)).hasSize(1);
    assertThat(log)
        .doesNotContain("terminated with error", "the job failed", "Exception in thread");
    assertThat(job("--once").run(JOB_TIMEOUT).exitCode()).isZero();
    assertTablesMatchTheTopic();
  }

  /** The job's metrics endpoint: each sample's name (with its labels) and value. */
  private static Map<String, Double> scrape() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + env.get(JobConfig.METRICS_PORT)
                                  + MetricsServer.PATH))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      Map<String, Double> samples = new HashMap<>();
      response
          .body()
          .lines()
          .filter(line -> !line.startsWith("#"))
          .forEach(
              line -> {
                int space = line.lastIndexOf(' ');
                samples.put(
                    line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
              });
      return samples;
    } catch (IOException e) {
      return Map.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double lag(Map<String, Double> metrics) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().startsWith(JobMetrics.LAG + "{"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static JvmProcess.Builder job(String... args) {
    return JobProcess.builder(env, args);
  }

  /** The job's reports of one kind, from its log. */
  private static List<JsonNode> reports(String log, String kind) {
    return ReportLog.read(log).stream()
        .filter(report -> report.get(ReportLog.KIND).asText().equals(kind))
        .toList();
  }

  /** Whether a batch report says the job committed to the orders table. */
  private static boolean ordersCommitted(String log) {
    return reports(log, ReportLog.BATCH).stream()
        .anyMatch(batch -> !batch.get("orders_committed_at").isNull());
  }

  private static List<BatchReport> runOnceHere() throws Exception {
    OrdersJob job = new OrdersJob(spark, JobConfig.load(env, "--once"), TABLES);
    List<BatchReport> reports = new CopyOnWriteArrayList<>();
    job.writer().addListener(reports::add);
    job.run();
    return reports;
  }

  private static void assertTablesMatchTheTopic() {
    assertThat(totals()).isEqualTo(topic.expectedTotals());
    assertThat(spark.table(TABLES.orders()).count()).isEqualTo(topic.uniqueOrders());
    List<Row> rejected = spark.table(TABLES.rejected()).collectAsList();
    assertThat(rejected)
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrderElementsOf(topic.malformed());
    assertThat(rejected).allSatisfy(r -> assertThat(r.getString(1)).isNotBlank());
    assertThat(rejected.stream().map(r -> r.getInt(3) + "/" + r.getLong(4)).distinct().count())
        .isEqualTo(rejected.size());
  }

  private static Map<String, String> totals() {
    return TestSpark.asMap(spark.table(TABLES.totals()));
  }
}
