package io.flowders.sink;

import static org.apache.spark.sql.functions.max;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.TableSchemas;
import io.flowders.parse.ParsedRecords;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.iceberg.Schema;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DecimalType;

/**
 * The job's three Iceberg tables. {@code orders} is the deduplicated ledger duplicates are looked
 * up in, and each totals commit names the batch it adds (see {@link BatchMarker}), so the job keeps
 * no state of its own: a restart, a lost checkpoint or a replayed micro-batch all converge on the
 * same rows.
 */
public final class IcebergTables {

  public static final String CATALOG = "lake";
  public static final String DEFAULT_NAMESPACE = CATALOG + ".flowders";
  public static final String TOTALS = "customer_minute_totals";
  public static final String REJECTED = "rejected_orders";
  public static final String ORDERS = "orders";

  /**
   * v2 tables whose old metadata files are deleted as commits go (one commit per table and trigger
   * would otherwise pile up). The totals upsert ({@link TotalsUpsert}) writes equality deletes,
   * which {@link TableMaintenance} applies and drops; a MERGE, UPDATE or DELETE run from Spark SQL
   * (the job runs none) rewrites files instead (copy-on-write), so it adds no delete files of its
   * own.
   */
  static final String PROPERTIES =
      "TBLPROPERTIES ('format-version'='2',"
          + " 'write.metadata.delete-after-commit.enabled'='true',"
          + " 'write.metadata.previous-versions-max'='50',"
          + " 'write.merge.mode'='copy-on-write',"
          + " 'write.update.mode'='copy-on-write',"
          + " 'write.delete.mode'='copy-on-write')";

  /**
   * A micro-batch's orders mostly share one day: hash distribution would funnel them into a single
   * writer task; writers per task (fanout) keep both cores busy on a backlog (on 2026-11-26, with
   * {@code ThroughputBench 1000000} in this module's tests: 1M orders written in 5.9 s instead of
   * 6.9 s, read back in 0.8 s instead of 2.8 s), and {@link BatchWriter} coalesces a small batch to
   * one writer, so one file per trigger.
   */
  static final String ORDERS_PROPERTIES =
      PROPERTIES.substring(0, PROPERTIES.length() - 1)
          + ", 'write.distribution-mode'='none', 'write.spark.fanout.enabled'='true')";

  private final String namespace;

  public IcebergTables() {
    this(DEFAULT_NAMESPACE);
  }

  /** {@code namespace} is catalog-qualified, e.g. {@code lake.flowders}. */
  public IcebergTables(String namespace) {
    this.namespace = namespace;
  }

  /** The table names, for maintenance. */
  public java.util.List<String> all() {
    return java.util.List.of(orders(), totals(), rejected());
  }

  public String totals() {
    return namespace + "." + TOTALS;
  }

  public String rejected() {
    return namespace + "." + REJECTED;
  }

  public String orders() {
    return namespace + "." + ORDERS;
  }

  public void createIfMissing(SparkSession spark) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
    spark.sql(
        createTable(totals(), TableSchemas.TOTALS)
            + " PARTITIONED BY (days("
            + ParsedRecords.WINDOW_START
            + ")) "
            + PROPERTIES);
    spark.sql(createTable(rejected(), TableSchemas.REJECTED) + " " + PROPERTIES);
    spark.sql(
        createTable(orders(), TableSchemas.ORDERS)
            + " PARTITIONED BY (days("
            + ParsedRecords.ORDER_TS
            + ")) "
            + ORDERS_PROPERTIES);
    widenTotals(spark);
  }

  /**
   * Tables made before totals became DECIMAL(38,2) hold DECIMAL(18,2), which a busy window could
   * overflow: Iceberg widens a decimal's precision in place (metadata only, files unchanged).
   */
  private void widenTotals(SparkSession spark) {
    DecimalType current =
        (DecimalType)
            spark.table(totals()).schema().apply(OrderAggregation.CLIENT_AMOUNT).dataType();
    if (current.precision() < TableSchemas.TOTAL_AMOUNT.precision()) {
      spark.sql(
          "ALTER TABLE "
              + totals()
              + " ALTER COLUMN "
              + OrderAggregation.CLIENT_AMOUNT
              + " TYPE "
              + TableSchemas.TOTAL_AMOUNT.sql());
    }
  }

  /** The columns as Spark DDL: Iceberg gives a table made from it back the same schema. */
  private static String createTable(String table, Schema schema) {
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " ("
        + SparkSchemaUtil.convert(schema).toDDL()
        + ") USING iceberg";
  }

  /** The latest event time already counted, so a restarted job knows what is late; null if none. */
  public Instant maxOrderTime(SparkSession spark) {
    String latest = "latest";
    Timestamp time =
        spark.table(orders()).agg(max(ParsedRecords.ORDER_TS).as(latest)).first().getAs(latest);
    return time == null ? null : time.toInstant();
  }
}
