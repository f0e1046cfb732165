package io.flowders.sink;

import static io.flowders.parse.ParsedRecords.CUSTOMER_ID;
import static io.flowders.parse.ParsedRecords.OFFSET;
import static io.flowders.parse.ParsedRecords.ORDER_ID;
import static io.flowders.parse.ParsedRecords.ORDER_TS;
import static io.flowders.parse.ParsedRecords.PARTITION;
import static io.flowders.parse.ParsedRecords.REASON;
import static io.flowders.parse.ParsedRecords.TOPIC;
import static io.flowders.parse.ParsedRecords.WINDOW_START;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.udf;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.TableSchemas;
import io.flowders.parse.RejectRules;
import io.flowders.parse.Windows;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.catalyst.analysis.NoSuchTableException;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
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
  private static final UserDefinedFunction RULE_OF =
      udf((UDF1<String, String>) RejectRules::rule, DataTypes.StringType);

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

  /**
   * The latest event time of the orders counted (committed), this run or before; null before the
   * first order.
   */
  public Instant newestEventTime() {
    return maxEventTime;
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
      Table ordersTable = load(spark, tables.orders());
      Table totalsTable = load(spark, tables.totals());
      long windowsUpdated = catchUpTotals(spark, ordersTable, totalsTable, batchId);
      if (stats.marker().isLastCommitIn(ordersTable)) {
        LOG.info("batch {}: already committed as {}, nothing to do", batchId, stats.marker());
        return report(
            new BatchReport(
                batchId,
                stats.ranges(),
                stats.records(),
                0,
                stats.records() - stats.rejected(),
                stats.rejected(),
                stats.rejected() == 0 ? Map.of() : rules(OrderAggregation.rejected(batch)),
                0,
                windowsUpdated,
                stats.lastEvent(),
                timer.total(),
                timer.laps(),
                null,
                null));
      }
      long accepted = 0;
      long rejected = stats.rejected();
      long late = 0;
      Map<String, Long> rejectedByRule = Map.of();
      Instant ordersCommittedAt = null;
      Instant totalsCommittedAt = null;
      OrderAggregation.Duplicates orders =
          stats.firstEvent() == null ? null : classify(spark, batch, stats);
      boolean allFresh = orders != null && orders.allFresh();
      if (orders != null && !allFresh) {
        rejected += orders.conflicts().count();
      }
      if (rejected > 0) {
        rejectedByRule = appendRejects(spark, batch, orders, stats.now());
        timer.lap("rejects");
      }
      Dataset<Row> fresh =
          orders == null
              ? null
              : orders
                  .fresh()
                  .withColumn(TableSchemas.INGESTED_AT, lit(Timestamp.from(stats.now())));
      // All fresh: the batch's accepted records, whose count and event times the stats know
      boolean counts = fresh != null && (allFresh ? stats.records() > rejected : !fresh.isEmpty());
      if (counts) {
        Instant watermark = watermark();
        if (watermark != null && stats.firstEvent().isBefore(watermark)) {
          late = reportLate(batchId, fresh, watermark);
        }
        Dataset<Row> ledgerRows = fresh.coalesce(writers(stats.records() - rejected));
        stats.marker().tag(() -> append(ledgerRows, tables.orders()));
        ordersCommittedAt = Instant.now();
        List<Row> increments = OrderAggregation.totals(fresh).collectAsList();
        accepted =
            increments.stream().mapToLong(r -> r.<Long>getAs(OrderAggregation.CLIENT_ORDERS)).sum();
        timer.lap("orders");
        afterOrdersCommit.run();
        windowsUpdated +=
            upsertTotals(spark, totalsTable, increments, stats.marker(), stats.now(), batchId);
        totalsCommittedAt = Instant.now();
        timer.lap("totals");
      }
      Instant newestCounted = null;
      if (ordersCommittedAt != null) {
        // What was counted moves event time, not what was quarantined (a conflicting copy may be
        // dated anywhere the skew rule allows)
        newestCounted =
            allFresh
                ? stats.lastEvent()
                : fresh
                    .agg(max(ORDER_TS).as(ORDER_TS))
                    .first()
                    .<Timestamp>getAs(ORDER_TS)
                    .toInstant();
        advanceEventTime(newestCounted);
      }
      return report(
          new BatchReport(
              batchId,
              stats.ranges(),
              stats.records(),
              accepted,
              stats.records() - rejected - accepted,
              rejected,
              rejectedByRule,
              late,
              windowsUpdated,
              newestCounted,
              timer.total(),
              timer.laps(),
              ordersCommittedAt,
              totalsCommittedAt));
    } finally {
      batch.unpersist();
    }
  }

  /**
   * Totals behind the ledger catch up from the ledger's rows they miss: after a crash between the
   * two commits, whatever comes next (Spark replaying the batch, or a lost checkpoint re-reading
   * the topic in other batch boundaries, whose orders the ledger then all knows) adds them once.
   * Each totals commit carries the marker of the ledger commit it brings the totals up to.
   */
  private long catchUpTotals(
      SparkSession spark, Table ordersTable, Table totalsTable, long batchId) {
    Optional<Snapshot> ledger = BatchMarker.lastTagged(ordersTable);
    if (ledger.isEmpty()) {
      return 0;
    }
    BatchMarker ledgerMarker = BatchMarker.of(ledger.get());
    Optional<BatchMarker> totalsMarker = BatchMarker.lastTagged(totalsTable).map(BatchMarker::of);
    if (totalsMarker.equals(Optional.of(ledgerMarker))) {
      return 0;
    }
    Optional<Snapshot> included =
        totalsMarker.flatMap(marker -> marker.commitIn(ordersTable, ledger.get()));
    Dataset<Row> increments;
    if (totalsMarker.isEmpty() || included.isPresent()) {
      LOG.warn(
          "batch {}: the totals miss the ledger's commits after {} up to {}: adding them",
          batchId,
          totalsMarker.map(Object::toString).orElse("the first"),
          ledgerMarker);
      increments = OrderAggregation.totals(ledgerRows(spark, included.orElse(null), ledger.get()));
    } else {
      LOG.warn(
          "batch {}: the totals' last commit {} is no longer in the ledger's history: comparing"
              + " them with the whole ledger",
          batchId,
          totalsMarker.get());
      increments = differenceFromLedger(spark);
    }
    return upsertTotals(
        spark, totalsTable, increments.collectAsList(), ledgerMarker, Instant.now(), batchId);
  }

  /** The ledger's rows appended after {@code from} (null: from the start) up to {@code to}. */
  private Dataset<Row> ledgerRows(SparkSession spark, Snapshot from, Snapshot to) {
    DataFrameReader reader = spark.read().format("iceberg");
    reader =
        from == null
            ? reader.option(SparkReadOptions.SNAPSHOT_ID, to.snapshotId())
            : reader
                .option(SparkReadOptions.START_SNAPSHOT_ID, from.snapshotId())
                .option(SparkReadOptions.END_SNAPSHOT_ID, to.snapshotId());
    return reader.load(tables.orders());
  }

  /** What the totals table lacks to equal a recomputation from the whole ledger, per key. */
  private Dataset<Row> differenceFromLedger(SparkSession spark) {
    String orders = OrderAggregation.CLIENT_ORDERS;
    String amount = OrderAggregation.CLIENT_AMOUNT;
    Dataset<Row> expected = OrderAggregation.totals(spark.table(tables.orders()));
    Dataset<Row> table =
        spark
            .table(tables.totals())
            .select(
                col(WINDOW_START),
                col(CUSTOMER_ID),
                col(orders).as("_orders"),
                col(amount).as("_amount"));
    return expected
        .join(table, columns(WINDOW_START, CUSTOMER_ID), "left_outer")
        .select(
            col(WINDOW_START),
            col(OrderAggregation.WINDOW_END),
            col(CUSTOMER_ID),
            col(orders).minus(coalesce(col("_orders"), lit(0L))).as(orders),
            col(amount)
                .minus(coalesce(col("_amount"), lit(BigDecimal.ZERO)))
                .cast(TableSchemas.TOTAL_AMOUNT)
                .as(amount))
        .filter(col(orders).notEqual(0).or(col(amount).notEqual(lit(BigDecimal.ZERO))));
  }

  private BatchReport report(BatchReport report) {
    ReportLog.batch(report);
    listeners.forEach(listener -> listener.accept(report));
    return report;
  }

  /**
   * The batch's rejects (parse failures and conflicting duplicates) not already in the table (keyed
   * by topic, partition, offset) are appended. Returns the batch's rejects per rule ({@link
   * RejectRules}), those already in the table included, as the batch's {@code rejected} counts
   * them.
   */
  private Map<String, Long> appendRejects(
      SparkSession spark, Dataset<Row> batch, OrderAggregation.Duplicates orders, Instant now) {
    Dataset<Row> rejects = OrderAggregation.rejected(batch);
    if (orders != null) {
      rejects = rejects.unionByName(orders.conflicts());
    }
    Dataset<Row> known = spark.table(tables.rejected()).select(TOPIC, PARTITION, OFFSET);
    Dataset<Row> fresh =
        rejects
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
    return rules(rejects);
  }

  /** How many of {@code rejects} broke each rule: a few rows, one per rule broken. */
  private static Map<String, Long> rules(Dataset<Row> rejects) {
    String rule = "rule";
    Map<String, Long> byRule = new TreeMap<>();
    rejects
        .groupBy(RULE_OF.apply(col(REASON)).as(rule))
        .count()
        .collectAsList()
        .forEach(r -> byRule.put(r.getAs(rule), r.<Long>getAs("count")));
    return byRule;
  }

  /**
   * The batch's accepted orders under the duplicate rules, against the ledger's rows of the batch's
   * order ids (the id range prunes the ledger's files: ids that grow with time, as the producer's
   * do, leave all but the newest). By id, not by time: a re-sent id with another timestamp is still
   * found. Checkpointed as computed once: the ledger append and the increments use the same rows,
   * not a ledger that now holds them. A batch whose ids are each its own and new (the common shape)
   * skips the comparison: its records are all fresh, from the persisted batch alone.
   */
  private OrderAggregation.Duplicates classify(
      SparkSession spark, Dataset<Row> batch, BatchStats stats) {
    Dataset<Row> accepted = OrderAggregation.acceptedRecords(batch);
    Dataset<Row> inRange =
        spark
            .table(tables.orders())
            .filter(col(ORDER_ID).between(stats.minOrderId(), stats.maxOrderId()));
    if (OrderAggregation.eachIdOnce(accepted, inRange)) {
      return OrderAggregation.Duplicates.allFresh(accepted);
    }
    Dataset<Row> counted =
        inRange.join(accepted.select(ORDER_ID).distinct(), columns(ORDER_ID), "left_semi");
    return new OrderAggregation.Duplicates(
        OrderAggregation.duplicates(accepted, counted).classified().localCheckpoint(true));
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
      SparkSession spark,
      Table totalsTable,
      List<Row> increments,
      BatchMarker marker,
      Instant now,
      long batchId) {
    Map<TotalsUpsert.Key, TotalsUpsert.Totals> byKey = new LinkedHashMap<>();
    for (Row r : increments) {
      byKey.put(
          new TotalsUpsert.Key(r.<Timestamp>getAs(WINDOW_START).toInstant(), r.getAs(CUSTOMER_ID)),
          new TotalsUpsert.Totals(
              r.getAs(OrderAggregation.CLIENT_ORDERS), r.getAs(OrderAggregation.CLIENT_AMOUNT)));
    }
    List<Row> rows;
    try {
      rows = totals.apply(totalsTable, byKey, marker, now);
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

  private static Seq<String> columns(String... names) {
    return CollectionConverters.asScala(List.of(names)).toSeq();
  }
}
