package io.flowders.sink;

import static org.apache.spark.sql.functions.max;

import io.flowders.parse.ParsedRecords;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
  public static final String UPDATED_AT = "updated_at";
  public static final String REJECTED_AT = "rejected_at";
  public static final String INGESTED_AT = "ingested_at";

  /**
   * v2 tables whose old metadata files are deleted as commits go (one commit per table and trigger
   * would otherwise pile up); copy-on-write so merges leave no delete files to compact.
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
   * writer task; writers per task (fanout) keep both cores busy on a backlog (measured: 1M orders
   * written in 5.9 s instead of 6.9 s, read back in 0.8 s instead of 2.8 s), and {@link
   * BatchWriter} coalesces a small batch to one writer, so one file per trigger.
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
        "CREATE TABLE IF NOT EXISTS "
            + totals()
            + " ("
            + " window_start timestamp, window_end timestamp, customer_id string,"
            + " client_orders bigint, client_amount decimal(18,2), updated_at timestamp)"
            + " USING iceberg PARTITIONED BY (days(window_start)) "
            + PROPERTIES);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + rejected()
            + " ("
            + " raw_value string, reason string, kafka_topic string, kafka_partition int,"
            + " kafka_offset bigint, kafka_timestamp timestamp, rejected_at timestamp)"
            + " USING iceberg "
            + PROPERTIES);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + orders()
            + " ("
            + " order_id bigint, customer_id string, amount decimal(18,2), order_ts timestamp,"
            + " window_start timestamp, kafka_topic string, kafka_partition int, kafka_offset bigint,"
            + " ingested_at timestamp)"
            + " USING iceberg PARTITIONED BY (days(order_ts)) "
            + ORDERS_PROPERTIES);
  }

  /** The latest event time already counted, so a restarted job knows what is late; null if none. */
  public Instant maxOrderTime(SparkSession spark) {
    Row row = spark.table(orders()).agg(max(ParsedRecords.ORDER_TS)).first();
    return row.isNullAt(0) ? null : ((Timestamp) row.get(0)).toInstant();
  }
}
