package io.flowders.sink;

import static io.flowders.aggregation.ParsedRecords.CUSTOMER_ID;
import static io.flowders.aggregation.ParsedRecords.OFFSET;
import static io.flowders.aggregation.ParsedRecords.ORDER_ID;
import static io.flowders.aggregation.ParsedRecords.ORDER_TS;
import static io.flowders.aggregation.ParsedRecords.PARTITION;
import static io.flowders.aggregation.ParsedRecords.REASON;
import static io.flowders.aggregation.ParsedRecords.TOPIC;
import static io.flowders.aggregation.ParsedRecords.WINDOW_START;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.Windows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes one micro-batch of parsed records, idempotently: running it again with the same records,
 * whether Spark replays it after a crash or the checkpoint is gone, changes nothing. Each table
 * write is keyed (rejects by Kafka offset, orders by order id) and totals are absolute values
 * recomputed from the orders ledger, never increments. The state lives in Iceberg, not in Spark,
 * so late orders are counted instead of dropped.
 */
public final class BatchWriter implements VoidFunction2<Dataset<Row>, Long> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final String CHANGED_VIEW = "flowders_changed_totals";
  private static final int LATE_WINDOWS_LOGGED = 10;
  private static final long ORDERS_PER_WRITER = 100_000;

  private final IcebergTables tables;
  private final Duration watermarkDelay;
  private final ConsoleTable console;
  private final TableMaintenance maintenance;
  private final List<Consumer<BatchReport>> listeners = new CopyOnWriteArrayList<>();
  private volatile Instant maxEventTime;

  public BatchWriter(IcebergTables tables, Duration watermarkDelay, ConsoleTable console) {
    this.tables = tables;
    this.watermarkDelay = watermarkDelay;
    this.console = console;
    this.maintenance = new TableMaintenance(tables, Clock.systemUTC());
  }

  /** Creates the tables if needed and picks up the event time already counted. */
  public void open(SparkSession spark) {
    tables.createIfMissing(spark);
    maxEventTime = tables.maxOrderTime(spark);
  }

  public void addListener(Consumer<BatchReport> listener) {
    listeners.add(listener);
  }

  /** Event time before which an order is late; null before the first order. */
  public Instant watermark() {
    Instant max = maxEventTime;
    return max == null ? null : max.minus(watermarkDelay);
  }

  @Override
  public void call(Dataset<Row> parsed, Long batchId) {
    write(parsed, batchId);
    maintenance.runIfDue(parsed.sparkSession());
  }

  /** Returns null for an empty batch, which commits nothing. */
  public BatchReport write(Dataset<Row> parsed, long batchId) {
    StepTimer timer = new StepTimer();
    SparkSession spark = parsed.sparkSession();
    Dataset<Row> batch = parsed.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row stats = batch.agg(count(lit(1)), count(col(REASON)), min(ORDER_TS), max(ORDER_TS)).first();
      long records = stats.getLong(0);
      if (records == 0) {
        return null;
      }
      long rejected = stats.getLong(1);
      Timestamp firstEvent = stats.getTimestamp(2);
      Timestamp lastEvent = stats.getTimestamp(3);
      Instant now = Instant.now();
      timer.lap("read");
      if (rejected > 0) {
        appendRejects(spark, batch, now);
        timer.lap("rejects");
      }
      long accepted = 0;
      long late = 0;
      long windowsUpdated = 0;
      if (firstEvent != null) {
        Dataset<Row> valid = OrderAggregation.accepted(batch);
        Instant first = firstEvent.toInstant();
        Instant last = lastEvent.toInstant();
        Instant watermark = watermark();
        Dataset<Row> fresh = newOrders(spark, valid, first, last, now);
        try {
          accepted = fresh.count();
          if (watermark != null && first.isBefore(watermark)) {
            late = reportLate(batchId, fresh, watermark);
          }
          if (accepted > 0) {
            append(fresh.coalesce(writers(accepted)), tables.orders());
            LOG.info("batch {}: {} new orders committed to {}", batchId, accepted, tables.orders());
          }
        } finally {
          fresh.unpersist();
        }
        timer.lap("orders");
        windowsUpdated = upsertTotals(spark, valid, first, last, now, batchId);
        timer.lap("totals");
        advanceEventTime(last);
      }
      BatchReport report = new BatchReport(batchId, records, accepted,
          records - rejected - accepted, rejected, late, windowsUpdated, timer.total(), timer.laps());
      LOG.info("{}", report);
      listeners.forEach(listener -> listener.accept(report));
      return report;
    } finally {
      batch.unpersist();
    }
  }

  /** Rejects not already in the table (keyed by topic, partition, offset) are appended. */
  private void appendRejects(SparkSession spark, Dataset<Row> batch, Instant now) {
    Dataset<Row> known = spark.table(tables.rejected()).select(TOPIC, PARTITION, OFFSET);
    Dataset<Row> fresh = OrderAggregation.rejected(batch)
        .join(known, columns(TOPIC, PARTITION, OFFSET), "left_anti")
        .withColumn(IcebergTables.REJECTED_AT, lit(Timestamp.from(now)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (!fresh.isEmpty()) {
        append(fresh, tables.rejected());
      }
    } finally {
      fresh.unpersist();
    }
  }

  /**
   * The batch's first record of each order id, minus the ids the ledger already holds. A re-sent
   * order carries the same timestamp, so looking the ids up within the batch's event-time range
   * widened by the watermark finds every duplicate the contract asks to drop.
   */
  private Dataset<Row> newOrders(SparkSession spark, Dataset<Row> valid, Instant first,
      Instant last, Instant now) {
    Dataset<Row> known = spark.table(tables.orders())
        .filter(between(ORDER_TS, first.minus(watermarkDelay), last.plus(watermarkDelay)))
        .select(ORDER_ID);
    return OrderAggregation.dedupe(valid)
        .join(known, columns(ORDER_ID), "left_anti")
        .withColumn(IcebergTables.INGESTED_AT, lit(Timestamp.from(now)))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private long reportLate(long batchId, Dataset<Row> fresh, Instant watermark) {
    List<Row> windows = fresh.filter(col(ORDER_TS).lt(lit(Timestamp.from(watermark))))
        .groupBy(WINDOW_START, CUSTOMER_ID).count()
        .orderBy(WINDOW_START, CUSTOMER_ID)
        .collectAsList();
    long late = windows.stream().mapToLong(row -> row.getLong(2)).sum();
    if (late > 0) {
      LOG.warn("batch {}: {} late orders (event time before the watermark {}) counted, reopening"
              + " {} windows: {}{}", batchId, late, watermark, windows.size(),
          windows.stream().limit(LATE_WINDOWS_LOGGED)
              .map(r -> r.getTimestamp(0).toInstant() + " " + r.getString(1) + " (+" + r.getLong(2) + ")")
              .collect(Collectors.joining(", ")),
          windows.size() > LATE_WINDOWS_LOGGED ? ", ..." : "");
    }
    return late;
  }

  /**
   * Every (window, customer) the batch touched gets its absolute totals recomputed from the
   * ledger, including keys whose orders were all duplicates: after a crash between the orders
   * commit and this one, the replay has no new orders but must still bring the totals up to date.
   * Only rows that differ from the table are merged and printed.
   */
  private long upsertTotals(SparkSession spark, Dataset<Row> valid, Instant first, Instant last,
      Instant now, long batchId) {
    Instant fromWindow = Windows.start(first);
    Instant lastWindow = Windows.start(last);
    Dataset<Row> touched = valid.select(WINDOW_START, CUSTOMER_ID).distinct();
    Dataset<Row> ledger = spark.table(tables.orders())
        .filter(col(ORDER_TS).geq(lit(Timestamp.from(fromWindow)))
            .and(col(ORDER_TS).lt(lit(Timestamp.from(Windows.end(lastWindow))))))
        .join(touched, columns(WINDOW_START, CUSTOMER_ID), "left_semi");
    Dataset<Row> current = spark.table(tables.totals())
        .filter(between(WINDOW_START, fromWindow, lastWindow))
        .select(col(WINDOW_START), col(CUSTOMER_ID),
            col(OrderAggregation.CLIENT_ORDERS).as("current_orders"),
            col(OrderAggregation.CLIENT_AMOUNT).as("current_amount"));
    Dataset<Row> computed = OrderAggregation.totals(ledger);
    Dataset<Row> changed = computed
        .join(current, columns(WINDOW_START, CUSTOMER_ID), "left")
        .filter(col("current_orders").isNull()
            .or(col("current_orders").notEqual(col(OrderAggregation.CLIENT_ORDERS)))
            .or(col("current_amount").notEqual(col(OrderAggregation.CLIENT_AMOUNT))))
        .selectExpr(computed.columns())
        .withColumn(IcebergTables.UPDATED_AT, lit(Timestamp.from(now)))
        // Materialized apart from the tables: a cached plan over them is invalidated by the merge.
        .localCheckpoint(true);
    try {
      long rows = changed.count();
      if (rows > 0) {
        changed.createOrReplaceTempView(CHANGED_VIEW);
        spark.sql("MERGE INTO " + tables.totals() + " t USING " + CHANGED_VIEW + " s"
            + " ON t.window_start = s.window_start AND t.customer_id = s.customer_id"
            + " AND t.window_start >= TIMESTAMP '" + fromWindow + "'"
            + " AND t.window_start <= TIMESTAMP '" + lastWindow + "'"
            + " WHEN MATCHED THEN UPDATE SET t.client_orders = s.client_orders,"
            + " t.client_amount = s.client_amount, t.updated_at = s.updated_at"
            + " WHEN NOT MATCHED THEN INSERT *");
        spark.catalog().dropTempView(CHANGED_VIEW);
        console.print(batchId, changed, rows);
      }
      return rows;
    } finally {
      changed.unpersist();
    }
  }

  private void advanceEventTime(Instant last) {
    if (maxEventTime == null || last.isAfter(maxEventTime)) {
      maxEventTime = last;
    }
  }

  /** One file for a trigger's worth of orders, parallel writers for a backlog. */
  static int writers(long orders) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, orders / ORDERS_PER_WRITER));
  }

  private static void append(Dataset<Row> rows, String table) {
    try {
      rows.writeTo(table).append();
    } catch (NoSuchTableException e) {
      throw new IllegalStateException(table + " disappeared while the job was running", e);
    }
  }

  /** Inclusive on both ends. */
  private static Column between(String column, Instant from, Instant to) {
    return col(column).geq(lit(Timestamp.from(from))).and(col(column).leq(lit(Timestamp.from(to))));
  }

  private static Seq<String> columns(String... names) {
    return CollectionConverters.asScala(List.of(names)).toSeq();
  }
}
