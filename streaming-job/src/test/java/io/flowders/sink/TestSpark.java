package io.flowders.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.job.JobConfig;
import io.flowders.job.SparkSessions;
import io.flowders.parse.ParsedRecords;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for every test class in this JVM (start-up costs seconds on two cores),
 * with catalog {@code lake} on a temporary local warehouse; each test gets a namespace.
 */
public final class TestSpark {

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final Path ROOT = createRoot();
  private static SparkSession session;

  private TestSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      JobConfig config = config(Map.of());
      session =
          SparkSessions.builder(config)
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
    }
    return session;
  }

  private static Path createRoot() {
    try {
      Path root = Files.createTempDirectory("flowders-spark-test");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Settings for a job on the local warehouse, with a checkpoint of its own. */
  public static JobConfig config(Map<String, String> overrides) {
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                JobConfig.SPARK_MASTER, "local[2]",
                JobConfig.WAREHOUSE, ROOT.resolve("warehouse").toUri().toString(),
                JobConfig.CHECKPOINT,
                    ROOT.resolve("checkpoint-" + NAMESPACES.incrementAndGet()).toString()));
    env.putAll(overrides);
    return JobConfig.load(env);
  }

  /** Tables in a namespace no other test uses. */
  public static IcebergTables freshTables() {
    return new IcebergTables(IcebergTables.CATALOG + ".t" + NAMESPACES.incrementAndGet());
  }

  /**
   * Kafka-shaped rows: record i of {@code values} gets partition 0, offset {@code firstOffset + i}.
   */
  public static Dataset<Row> kafka(long firstOffset, String... values) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(kafkaRow(0, firstOffset + i, values[i]));
    }
    return kafka(rows);
  }

  public static Dataset<Row> kafka(List<Row> rows) {
    return session().createDataFrame(rows, ParsedRecords.KAFKA_SCHEMA);
  }

  /**
   * When the test's records were written, as Kafka stamps them: the tests' orders are dated before
   * it, so none is too far ahead of its record.
   */
  public static final Instant WRITTEN_AT = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  public static Row kafkaRow(int partition, long offset, String value) {
    return kafkaRow(partition, offset, null, value);
  }

  public static Row kafkaRow(int partition, long offset, String key, String value) {
    return RowFactory.create(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(StandardCharsets.UTF_8),
        "orders",
        partition,
        offset,
        Timestamp.from(WRITTEN_AT));
  }

  public static String order(long id, String customer, String amount, String timestamp) {
    return String.format(
        "{\"order_id\":%d,\"customer_id\":\"%s\",\"amount\":%s,\"timestamp\":\"%s\"}",
        id, customer, amount, timestamp);
  }

  /** window_start|customer → orders|amount, the window's end checked on the way. */
  public static Map<String, String> asMap(Dataset<Row> totals) {
    Map<String, String> map = new TreeMap<>();
    for (Row r :
        totals
            .selectExpr(
                "cast(window_start as string)",
                "customer_id",
                "client_orders",
                "cast(client_amount as string)",
                "window_end - window_start = INTERVAL 1 MINUTE")
            .collectAsList()) {
      assertThat(r.getBoolean(4)).isTrue();
      map.put(r.getString(0) + "|" + r.getString(1), r.getLong(2) + "|" + r.getString(3));
    }
    return map;
  }

  private static void delete(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp folder
    }
  }
}
