package io.flowders.sink;

import static io.flowders.parse.ParsedRecords.CUSTOMER_ID;
import static io.flowders.parse.ParsedRecords.OFFSET;
import static io.flowders.parse.ParsedRecords.ORDER_ID;
import static io.flowders.parse.ParsedRecords.ORDER_TS;
import static io.flowders.parse.ParsedRecords.PARTITION;
import static io.flowders.parse.ParsedRecords.TOPIC;
import static io.flowders.parse.ParsedRecords.WINDOW_START;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.TableSchemas;
import io.flowders.parse.Windows;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Writes one micro-batch, exactly once: the orders ledger gets the batch's new orders, the totals
 * get the batch's increments, and both commits carry the batch's {@link BatchMarker}, so a replay
 * (Spark re-running a batch after a crash, whichever commit it crashed after) skips what is done
 * and finishes what is not. Duplicates are found against the ledger, not in Spark state: a lost
 * checkpoint re-reads the topic and still counts nothing twice, and late orders are counted instead
 * of dropped. A batch costs what it holds: no step re-reads the ledger's windows.
 */
public final class BatchWriter implements VoidFunction2<Dataset<Row>, Long> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final int LATE_WINDOWS_LOGGED = 10;
  private static final long ORDERS_PER_WRITER = 100_000;

  private final IcebergTables tables;
  private final Duration watermarkDelay;
  private final ConsoleTable console;
  private final TableMaintenance maintenance;
  private final TotalsUpsert totals = new TotalsUpsert();
  private final List<Consumer<BatchReport>> listeners = new CopyOnWriteArrayList<>();
  private volatile Instant maxEventTime;
  private Runnable afterOrdersCommit = () -> {};

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

  /** For tests: what runs between the two commits, where a crash leaves the totals behind. */
  void afterOrdersCommit(Runnable hook) {
    this.afterOrdersCommit = hook;
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
      BatchStats stats = BatchStats.of(batch, batchId);
      if (stats.records() == 0) {
        return null;
      }
      timer.lap("read");
      Table totalsTable = load(spark, tables.totals());
      if (stats.marker().isLastCommitIn(totalsTable)) {
        LOG.info("batch {}: already committed as {}, nothing to do", batchId, stats.marker());
        return report(
            new BatchReport(
                batchId,
                stats.ranges(),
                stats.records(),
                0,
                stats.records() - stats.rejected(),
                stats.rejected(),
                0,
                0,
                stats.lastEvent(),
                timer.total(),
                timer.laps(),
                null,
                null));
      }
      if (stats.rejected() > 0) {
        appendRejects(spark, batch, stats.now());
        timer.lap("rejects");
      }
      long accepted = 0;
      long late = 0;
      long windowsUpdated = 0;
      Instant ordersCommittedAt = null;
      Instant totalsCommittedAt = null;
      if (stats.firstEvent() != null) {
        List<Row> increments;
        Table ordersTable = load(spark, tables.orders());
        Optional<Snapshot> committed = stats.marker().lastCommitIn(ordersTable);
        if (committed.isPresent()) {
          LOG.info(
              "batch {}: orders already committed as {}, catching up the totals",
              batchId,
              stats.marker());
          increments =
              OrderAggregation.totals(committedOrders(spark, committed.get())).collectAsList();
        } else {
          Dataset<Row> fresh = newOrders(spark, OrderAggregation.accepted(batch), stats);
          Instant watermark = watermark();
          if (watermark != null && stats.firstEvent().isBefore(watermark)) {
            late = reportLate(batchId, fresh, watermark);
          }
          Dataset<Row> ledgerRows = fresh.coalesce(writers(stats.records() - stats.rejected()));
          stats.marker().tag(() -> append(ledgerRows, tables.orders()));
          ordersCommittedAt = Instant.now();
          increments = OrderAggregation.totals(fresh).collectAsList();
          accepted =
              increments.stream()
                  .mapToLong(r -> r.<Long>getAs(OrderAggregation.CLIENT_ORDERS))
                  .sum();
        }
        timer.lap("orders");
        afterOrdersCommit.run();
        windowsUpdated = upsertTotals(spark, totalsTable, increments, stats, batchId);
        totalsCommittedAt = windowsUpdated > 0 ? Instant.now() : null;
        timer.lap("totals");
        advanceEventTime(stats.lastEvent());
      }
      return report(
          new BatchReport(
              batchId,
              stats.ranges(),
              stats.records(),
              accepted,
              stats.records() - stats.rejected() - accepted,
              stats.rejected(),
              late,
              windowsUpdated,
              stats.lastEvent(),
              timer.total(),
              timer.laps(),
              ordersCommittedAt,
              totalsCommittedAt));
    } finally {
      batch.unpersist();
    }
  }

  private BatchReport report(BatchReport report) {
    ReportLog.batch(report);
    listeners.forEach(listener -> listener.accept(report));
    return report;
  }

  /** Rejects not already in the table (keyed by topic, partition, offset) are appended. */
  private void appendRejects(SparkSession spark, Dataset<Row> batch, Instant now) {
    Dataset<Row> known = spark.table(tables.rejected()).select(TOPIC, PARTITION, OFFSET);
    Dataset<Row> fresh =
        OrderAggregation.rejected(batch)
            .join(known, columns(TOPIC, PARTITION, OFFSET), "left_anti")
            .withColumn(TableSchemas.REJECTED_AT, lit(Timestamp.from(now)))
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
   * widened by the watermark finds every duplicate the contract asks to drop; the batch's order id
   * range narrows the lookup to the ledger files that can hold them (ids that grow with time, as
   * the producer's do, prune all but the newest files). Checkpointed as the ledger append computes
   * it: the increments are summed from the same rows, not from a ledger that now holds them.
   */
  private Dataset<Row> newOrders(SparkSession spark, Dataset<Row> valid, BatchStats stats) {
    Dataset<Row> known =
        spark
            .table(tables.orders())
            .filter(
                between(
                        ORDER_TS,
                        stats.firstEvent().minus(watermarkDelay),
                        stats.lastEvent().plus(watermarkDelay))
                    .and(col(ORDER_ID).between(stats.minOrderId(), stats.maxOrderId())))
            .select(ORDER_ID);
    return OrderAggregation.dedupe(valid)
        .join(known, columns(ORDER_ID), "left_anti")
        .withColumn(TableSchemas.INGESTED_AT, lit(Timestamp.from(stats.now())))
        .localCheckpoint(false);
  }

  /** The ledger rows the batch's own commit added, for a replay that finds them there. */
  private Dataset<Row> committedOrders(SparkSession spark, Snapshot snapshot) {
    DataFrameReader reader = spark.read().format("iceberg");
    reader =
        snapshot.parentId() == null
            ? reader.option(SparkReadOptions.SNAPSHOT_ID, snapshot.snapshotId())
            : reader
                .option(SparkReadOptions.START_SNAPSHOT_ID, snapshot.parentId())
                .option(SparkReadOptions.END_SNAPSHOT_ID, snapshot.snapshotId());
    return reader.load(tables.orders());
  }

  private long reportLate(long batchId, Dataset<Row> fresh, Instant watermark) {
    String lateOrders = "late_orders";
    List<Row> windows =
        fresh
            .filter(col(ORDER_TS).lt(lit(Timestamp.from(watermark))))
            .groupBy(WINDOW_START, CUSTOMER_ID)
            .agg(count(lit(1)).as(lateOrders))
            .orderBy(WINDOW_START, CUSTOMER_ID)
            .collectAsList();
    long late = windows.stream().mapToLong(row -> row.<Long>getAs(lateOrders)).sum();
    if (late > 0) {
      LOG.warn(
          "batch {}: {} late orders (event time before the watermark {}) counted, reopening"
              + " {} windows: {}{}",
          batchId,
          late,
          watermark,
          windows.size(),
          windows.stream()
              .limit(LATE_WINDOWS_LOGGED)
              .map(
                  r ->
                      r.<Timestamp>getAs(WINDOW_START).toInstant()
                          + " "
                          + r.getAs(CUSTOMER_ID)
                          + " (+"
                          + r.getAs(lateOrders)
                          + ")")
              .collect(Collectors.joining(", ")),
          windows.size() > LATE_WINDOWS_LOGGED ? ", ..." : "");
    }
    return late;
  }

  /** The batch's increments, added to the table's rows in one commit tagged with the batch. */
  private long upsertTotals(
      SparkSession spark, Table totalsTable, List<Row> increments, BatchStats stats, long batchId) {
    Map<TotalsUpsert.Key, TotalsUpsert.Totals> byKey = new LinkedHashMap<>();
    for (Row r : increments) {
      byKey.put(
          new TotalsUpsert.Key(r.<Timestamp>getAs(WINDOW_START).toInstant(), r.getAs(CUSTOMER_ID)),
          new TotalsUpsert.Totals(
              r.getAs(OrderAggregation.CLIENT_ORDERS), r.getAs(OrderAggregation.CLIENT_AMOUNT)));
    }
    List<Row> rows;
    try {
      rows = totals.apply(totalsTable, byKey, stats.marker(), stats.now());
    } catch (RuntimeException e) {
      totals.forgetAll();
      throw e;
    }
    if (!rows.isEmpty()) {
      console.print(spark, batchId, rows);
    }
    return rows.size();
  }

  private void advanceEventTime(Instant last) {
    if (maxEventTime == null || last.isAfter(maxEventTime)) {
      maxEventTime = last;
      totals.forgetBefore(Windows.start(watermark()));
    }
  }

  /** One file for a trigger's worth of orders, parallel writers for a backlog. */
  static int writers(long orders) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, orders / ORDERS_PER_WRITER));
  }

  private static Void append(Dataset<Row> rows, String table) {
    try {
      rows.writeTo(table).append();
      return null;
    } catch (NoSuchTableException e) {
      throw new IllegalStateException(table + " disappeared while the job was running", e);
    }
  }

  private static Table load(SparkSession spark, String table) {
    try {
      return Spark3Util.loadIcebergTable(spark, table);
    } catch (ParseException | NoSuchTableException e) {
      throw new IllegalStateException(table + " cannot be loaded", e);
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
