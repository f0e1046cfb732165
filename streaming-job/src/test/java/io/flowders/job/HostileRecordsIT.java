package io.flowders.job;

import io.flowders.sink.BatchReport;
import io.flowders.sink.IcebergTables;
import io.flowders.sink.TestSpark;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.Ports;
import io.flowders.stack.S3Server;
import io.flowders.verify.Verify;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every record of {@code hostile/orders.tsv} through a topic of its own on the real Kafka cluster
 * and the real job (Spark local[2], Iceberg on S3): part by part, each send acknowledged before the
 * next (so the first copy of an order sent is the first in its partition), one {@code --once} run
 * after each part (so re-sends and conflicts also cross batches). The job must never stop, give
 * each record the outcome the file says, and end with totals equal to the accepted orders' sums.
 */
class HostileRecordsIT {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
  private static final int SHOWN_VALUE_CHARS = 100;

  private static KafkaCluster kafka;
  private static Path checkpoint;
  private static Map<String, String> env;
  private static SparkSession spark;
  private static IcebergTables tables;
  private static KafkaProducer<String, String> producer;
  private static String topic;

  /** Where a case landed in the topic. */
  private record Sent(HostileCorpus.Case sent, int partition, long offset) {
    String position() {
      return position(partition, offset);
    }

    static String position(int partition, long offset) {
      return partition + "/" + offset;
    }
  }

  @BeforeAll
  static void startStack() throws IOException {
    kafka = KafkaCluster.shared();
    S3Server s3 = S3Server.shared();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    topic = "hostile-orders-" + suffix;
    kafka.createOrdersTopic(topic);
    checkpoint = Files.createTempDirectory("flowders-hostile-it");
    env =
        Map.of(
            JobConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
            JobConfig.TOPIC, topic,
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
    // Tables of their own: other tests of this JVM write lake.flowders.
    tables = new IcebergTables(IcebergTables.CATALOG + ".hostile_" + suffix);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  @AfterAll
  static void stop() throws IOException {
    if (producer != null) {
      producer.close();
    }
    try (var paths = Files.walk(checkpoint)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void theJobGivesEveryHostileRecordTheOutcomeTheCorpusSaysAndNeverStops() throws Exception {
    List<HostileCorpus.Case> cases = HostileCorpus.read();
    int parts = cases.stream().mapToInt(HostileCorpus.Case::part).max().orElse(0) + 1;
    List<Sent> sent = new ArrayList<>();
    List<Long> late = new ArrayList<>();
    for (int part = 0; part < parts; part++) {
      for (HostileCorpus.Case c : cases) {
        if (c.part() == part) {
          sent.add(send(c));
        }
      }
      Instant start = Instant.now();
      List<BatchReport> reports = runOnceHere(part);
      System.out.printf(
          "part %d: %d batches in %d ms: %s%n",
          part + 1, reports.size(), Duration.between(start, Instant.now()).toMillis(), reports);
      late.add(reports.stream().mapToLong(BatchReport::late).sum());
    }

    SoftAssertions softly = new SoftAssertions();
    softly
        .assertThat(outcomeMismatches(sent))
        .as("records whose outcome differs from the corpus (line: expected, got)")
        .isEmpty();
    softly
        .assertThat(totals())
        .as("totals of the accepted orders")
        .isEqualTo(HostileCorpus.expectedTotals(cases));
    softly
        .assertThat(late)
        .as("late orders per part: a rejected order dated in the future moves no watermark")
        .isEqualTo(expectedLate(cases, parts, JobConfig.load(env).watermark()));
    softly.assertThat(verify()).as("verify's exit code").isEqualTo(Verify.EQUAL);
    softly.assertAll();
  }

  private static Sent send(HostileCorpus.Case c) throws Exception {
    RecordMetadata metadata =
        producer
            .send(new ProducerRecord<>(topic, c.key(), c.value()))
            .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return new Sent(c, metadata.partition(), metadata.offset());
  }

  private static List<BatchReport> runOnceHere(int part) {
    OrdersJob job = new OrdersJob(spark, JobConfig.load(env, "--once"), tables);
    List<BatchReport> reports = new CopyOnWriteArrayList<>();
    job.writer().addListener(reports::add);
    try {
      job.run();
    } catch (Exception e) {
      throw new AssertionError("the job stopped on part " + (part + 1) + " of the corpus", e);
    }
    return reports;
  }

  /**
   * Each record's outcome read back from the tables (a reject row at its offset, its offset in the
   * ledger, or neither: not counted again) against the corpus; prints the tally by expected
   * outcome.
   */
  private static List<String> outcomeMismatches(List<Sent> sent) {
    Map<String, List<String>> reasons = new HashMap<>();
    for (Row r :
        spark
            .table(tables.rejected())
            .select("kafka_partition", "kafka_offset", "reason")
            .collectAsList()) {
      reasons
          .computeIfAbsent(Sent.position(r.getInt(0), r.getLong(1)), k -> new ArrayList<>())
          .add(r.getString(2));
    }
    Set<String> counted = new HashSet<>();
    for (Row r :
        spark.table(tables.orders()).select("kafka_partition", "kafka_offset").collectAsList()) {
      counted.add(Sent.position(r.getInt(0), r.getLong(1)));
    }
    List<String> mismatches = new ArrayList<>();
    Map<String, int[]> tally = new TreeMap<>();
    Set<String> positions = new HashSet<>();
    for (Sent s : sent) {
      positions.add(s.position());
      List<String> rejects = reasons.getOrDefault(s.position(), List.of());
      boolean inLedger = counted.contains(s.position());
      HostileCorpus.Case c = s.sent();
      boolean ok =
          c.rejected()
              ? rejects.size() == 1 && rejects.get(0).startsWith(c.reasonPrefix()) && !inLedger
              : rejects.isEmpty() && inLedger == c.accepted();
      int[] counts = tally.computeIfAbsent(c.expect(), k -> new int[2]);
      counts[0]++;
      if (ok) {
        counts[1]++;
      } else {
        String got =
            (rejects.isEmpty() ? "" : "rejected " + rejects + ", ")
                + (inLedger ? "counted" : "not counted");
        mismatches.add(
            "line "
                + c.line()
                + ": "
                + c.expect()
                + ", got "
                + printable(got)
                + "; value "
                + printable(String.valueOf(c.value())));
      }
    }
    reasons.keySet().stream()
        .filter(position -> !positions.contains(position))
        .forEach(position -> mismatches.add("a reject row at " + position + ", sent by nobody"));
    counted.stream()
        .filter(position -> !positions.contains(position))
        .forEach(position -> mismatches.add("an order at " + position + ", sent by nobody"));
    System.out.println("cases by expected outcome: matched/sent");
    tally.forEach((expect, n) -> System.out.printf("  %-32s %3d/%d%n", expect, n[1], n[0]));
    mismatches.forEach(m -> System.out.println("  MISMATCH " + m));
    return mismatches;
  }

  /**
   * Per part, the accepted orders older than the newest order accepted in earlier parts minus the
   * allowed lateness: the job reports them late (and counts them).
   */
  private static List<Long> expectedLate(
      List<HostileCorpus.Case> cases, int parts, Duration watermark) {
    List<Long> late = new ArrayList<>();
    Instant newest = null;
    for (int part = 0; part < parts; part++) {
      long n = 0;
      Instant newestInPart = newest;
      for (HostileCorpus.Case c : cases) {
        if (c.part() == part && c.accepted()) {
          Instant at = c.order().at();
          if (newest != null && at.isBefore(newest.minus(watermark))) {
            n++;
          }
          if (newestInPart == null || at.isAfter(newestInPart)) {
            newestInPart = at;
          }
        }
      }
      late.add(n);
      newest = newestInPart;
    }
    return late;
  }

  private static Map<String, String> totals() {
    return TestSpark.asMap(spark.table(tables.totals()));
  }

  private static int verify() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status;
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      status = new Verify(spark, JobConfig.load(env), tables, print).run();
    }
    System.out.print(out.toString(StandardCharsets.UTF_8));
    return status;
  }

  /** Control and non-ASCII characters as \\uXXXX, cut: the report stays one readable line. */
  private static String printable(String text) {
    StringBuilder shown = new StringBuilder();
    text.chars()
        .limit(SHOWN_VALUE_CHARS)
        .forEach(
            ch -> {
              if (ch >= 0x20 && ch < 0x7f) {
                shown.append((char) ch);
              } else {
                shown.append(String.format("\\u%04x", ch));
              }
            });
    return text.length() > SHOWN_VALUE_CHARS ? shown + "..." : shown.toString();
  }
}
