package io.flowders.verify;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowders.aggregation.OrderAggregation;
import io.flowders.job.JobConfig;
import io.flowders.job.SparkSessions;
import io.flowders.parse.ParsedRecords;
import io.flowders.sink.IcebergTables;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code ./flowders verify}: reads the whole topic in batch, recomputes the totals with the job's
 * own functions ({@link OrderAggregation}: same parsing, same duplicate rule) and compares them
 * with {@code lake.flowders.customer_minute_totals}, window by window, for every window that ended
 * before the watermark (the latest order's time minus FLOWDERS_WATERMARK, the allowed lateness):
 * later windows may still change. Exit 0 when equal, 1 on any difference, 2 when it cannot compare.
 *
 * <p>{@code --all-windows} compares every window, the newest included: right once nothing writes to
 * the topic any more and the job has read all of it (how {@code ./flowders faults} checks). The
 * last line of the output is a JSON summary for programs ({@link #SUMMARY}): records, accepted,
 * rejected, duplicates (accepted records whose order id another record already holds), the orders
 * recomputed and counted in the compared windows, and per (window, customer) the orders the table
 * misses ({@code lost}, the sum of shortfalls) and counts too often ({@code doubled}, the sum of
 * excesses).
 */
public final class Verify {

  // Names of the summary columns, read by name below.
  private static final String RECORDS = "records";
  private static final String REJECTED = "rejected";
  private static final String FIRST = "first_order";
  private static final String LATEST = "latest_order";
  private static final String WINDOWS = "windows";
  private static final String CUSTOMERS = "customers";
  private static final String ORDERS = "orders";
  private static final String AMOUNT = "amount";

  public static final int EQUAL = 0;
  public static final int DIFFERENT = 1;
  public static final int FAILED = 2;
  private static final int MISMATCHES_SHOWN = 50;
  private static final String EXPECTED = "expected_";
  private static final String TABLE = "table_";
  public static final String ALL_WINDOWS = "--all-windows";

  /** The key of the JSON summary line: {@code {"verify":"equal"|"different",...}}. */
  public static final String SUMMARY = "verify";

  private static final String LOST = "lost";
  private static final String DOUBLED = "doubled";

  private final SparkSession spark;
  private final JobConfig config;
  private final IcebergTables tables;
  private final PrintStream out;
  private final boolean allWindows;
  private final ObjectNode summary = new ObjectMapper().createObjectNode();

  public Verify(SparkSession spark, JobConfig config, IcebergTables tables, PrintStream out) {
    this(spark, config, tables, out, false);
  }

  public Verify(
      SparkSession spark,
      JobConfig config,
      IcebergTables tables,
      PrintStream out,
      boolean allWindows) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.out = out;
    this.allWindows = allWindows;
  }

  public static void main(String[] args) {
    boolean allWindows = args.length == 1 && args[0].equals(ALL_WINDOWS);
    if (args.length > 0 && !allWindows) {
      System.err.println(
          "usage: verify ["
              + ALL_WINDOWS
              + "] (settings: the FLOWDERS_* environment variables, README, Configuration)");
      System.exit(FAILED);
    }
    JobConfig config = JobConfig.fromEnvironment();
    SparkSession spark = SparkSessions.builder(config).appName("flowders-verify").getOrCreate();
    int status;
    try {
      status = new Verify(spark, config, new IcebergTables(), System.out, allWindows).run();
    } catch (Exception e) {
      System.err.println("verify failed: " + e.getMessage());
      status = FAILED;
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  /** Compares and prints the summary, its JSON form last; returns the exit code. */
  public int run() {
    int status = compareAll();
    ObjectNode line = summary.objectNode().put(SUMMARY, status == EQUAL ? "equal" : "different");
    out.println(line.setAll(summary));
    return status;
  }

  private int compareAll() {
    Dataset<Row> parsed =
        OrderAggregation.parse(topic(), config.inputRules())
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts =
          parsed
              .agg(
                  count(lit(1)).as(RECORDS),
                  count(col(ParsedRecords.REASON)).as(REJECTED),
                  min(ParsedRecords.ORDER_TS).as(FIRST),
                  max(ParsedRecords.ORDER_TS).as(LATEST))
              .first();
      long records = counts.<Long>getAs(RECORDS);
      long rejected = counts.<Long>getAs(REJECTED);
      out.printf(
          "topic %s: %d records, %d accepted, %d rejected%n",
          config.topic(), records, records - rejected, rejected);
      summary.put(RECORDS, records);
      summary.put("accepted", records - rejected);
      summary.put(REJECTED, rejected);
      if (counts.<Timestamp>getAs(LATEST) == null) {
        out.println("no orders in the topic yet: nothing to compare.");
        summary.put("duplicates", 0).put("expected", 0).put("counted", 0);
        summary.put(LOST, 0).put(DOUBLED, 0).put("mismatches", 0);
        return EQUAL;
      }
      Instant latest = counts.<Timestamp>getAs(LATEST).toInstant();
      Column closed;
      if (allWindows) {
        out.printf(
            "event time %s .. %s; comparing every window%n",
            counts.<Timestamp>getAs(FIRST).toInstant(), latest);
        closed = lit(true);
      } else {
        Instant watermark = latest.minus(config.watermark());
        out.printf(
            "event time %s .. %s; comparing the windows that ended by %s (latest order - %d s)%n",
            counts.<Timestamp>getAs(FIRST).toInstant(),
            latest,
            watermark,
            config.watermark().toSeconds());
        closed = col(OrderAggregation.WINDOW_END).leq(lit(Timestamp.from(watermark)));
      }
      Dataset<Row> all =
          OrderAggregation.totals(
              OrderAggregation.dedupe(OrderAggregation.acceptedRecords(parsed)));
      summary.put("duplicates", records - rejected - orders(summary(all)));
      Dataset<Row> expected = all.filter(closed);
      Dataset<Row> table = spark.table(tables.totals()).filter(closed);
      return compare(expected, table);
    } finally {
      parsed.unpersist();
    }
  }

  private Dataset<Row> topic() {
    return spark
        .read()
        .format("kafka")
        .option("kafka.bootstrap.servers", config.kafkaBootstrap())
        .option("subscribe", config.topic())
        .option("startingOffsets", "earliest")
        .option("endingOffsets", "latest")
        .option("failOnDataLoss", "true")
        .options(config.kafkaOptions())
        .load();
  }

  private int compare(Dataset<Row> expected, Dataset<Row> table) {
    Dataset<Row> joined =
        prefixed(expected, EXPECTED)
            .join(prefixed(table, TABLE), sameKey(), "full_outer")
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row e = summary(expected);
      Row t = summary(table);
      out.printf("%-10s %12s %12s%n", "", "recomputed", "table");
      out.printf("%-10s %12d %12d%n", "windows", e.<Long>getAs(WINDOWS), t.<Long>getAs(WINDOWS));
      out.printf(
          "%-10s %12d %12d%n", "customers", e.<Long>getAs(CUSTOMERS), t.<Long>getAs(CUSTOMERS));
      out.printf("%-10s %12d %12d%n", "orders", orders(e), orders(t));
      summary.put("expected", orders(e)).put("counted", orders(t));
      Column expectedOrders = coalesce(col(EXPECTED + OrderAggregation.CLIENT_ORDERS), lit(0L));
      Column tableOrders = coalesce(col(TABLE + OrderAggregation.CLIENT_ORDERS), lit(0L));
      Row gaps =
          joined
              .agg(
                  sum(greatest(expectedOrders.minus(tableOrders), lit(0L))).as(LOST),
                  sum(greatest(tableOrders.minus(expectedOrders), lit(0L))).as(DOUBLED))
              .first();
      long lost = gaps.isNullAt(0) ? 0 : gaps.<Long>getAs(LOST);
      long doubled = gaps.isNullAt(1) ? 0 : gaps.<Long>getAs(DOUBLED);
      out.printf("%-10s %12d%n%-10s %12d%n", LOST, lost, DOUBLED, doubled);
      summary.put(LOST, lost).put(DOUBLED, doubled);
      out.printf("%-10s %12s %12s%n", "amount", amount(e), amount(t));
      Dataset<Row> mismatches =
          joined
              .filter(
                  not(
                      col(EXPECTED + OrderAggregation.CLIENT_ORDERS)
                          .eqNullSafe(col(TABLE + OrderAggregation.CLIENT_ORDERS))
                          .and(
                              col(EXPECTED + OrderAggregation.CLIENT_AMOUNT)
                                  .eqNullSafe(col(TABLE + OrderAggregation.CLIENT_AMOUNT)))
                          .and(
                              col(EXPECTED + OrderAggregation.WINDOW_END)
                                  .eqNullSafe(col(TABLE + OrderAggregation.WINDOW_END)))))
              .select(
                  col(EXPECTED + ParsedRecords.WINDOW_START).as("recomputed_window"),
                  col(EXPECTED + ParsedRecords.CUSTOMER_ID).as("recomputed_customer"),
                  col(EXPECTED + OrderAggregation.CLIENT_ORDERS).as("recomputed_orders"),
                  col(EXPECTED + OrderAggregation.CLIENT_AMOUNT).as("recomputed_amount"),
                  col(TABLE + ParsedRecords.WINDOW_START).as("table_window"),
                  col(TABLE + ParsedRecords.CUSTOMER_ID).as("table_customer"),
                  col(TABLE + OrderAggregation.CLIENT_ORDERS).as("table_orders"),
                  col(TABLE + OrderAggregation.CLIENT_AMOUNT).as("table_amount"))
              .orderBy(
                  coalesce(col("recomputed_window"), col("table_window")),
                  coalesce(col("recomputed_customer"), col("table_customer")));
      long different = mismatches.count();
      out.printf("%-10s %12d%n", "mismatches", different);
      summary.put("mismatches", different);
      if (different == 0) {
        out.println("OK: " + tables.totals() + " equals the recomputation from the topic.");
        return EQUAL;
      }
      out.print(mismatches.showString(MISMATCHES_SHOWN, 0, false));
      out.println(
          "DIFFERENT: "
              + different
              + " (window, customer) rows of "
              + tables.totals()
              + " differ from the topic.");
      return DIFFERENT;
    } finally {
      joined.unpersist();
    }
  }

  private static Row summary(Dataset<Row> totals) {
    return totals
        .agg(
            countDistinct(col(ParsedRecords.WINDOW_START)).as(WINDOWS),
            countDistinct(col(ParsedRecords.CUSTOMER_ID)).as(CUSTOMERS),
            sum(OrderAggregation.CLIENT_ORDERS).as(ORDERS),
            sum(OrderAggregation.CLIENT_AMOUNT).as(AMOUNT))
        .first();
  }

  private static String amount(Row summary) {
    BigDecimal amount = summary.getAs(AMOUNT);
    return amount == null ? "0.00" : amount.toPlainString();
  }

  private static long orders(Row summary) {
    Long orders = summary.getAs(ORDERS);
    return orders == null ? 0 : orders;
  }

  private static Dataset<Row> prefixed(Dataset<Row> totals, String prefix) {
    List<String> columns =
        List.of(
            ParsedRecords.WINDOW_START,
            OrderAggregation.WINDOW_END,
            ParsedRecords.CUSTOMER_ID,
            OrderAggregation.CLIENT_ORDERS,
            OrderAggregation.CLIENT_AMOUNT);
    return totals.select(
        CollectionConverters.asScala(columns.stream().map(c -> col(c).as(prefix + c)).toList())
            .toSeq());
  }

  private static Column sameKey() {
    return col(EXPECTED + ParsedRecords.WINDOW_START)
        .equalTo(col(TABLE + ParsedRecords.WINDOW_START))
        .and(
            col(EXPECTED + ParsedRecords.CUSTOMER_ID)
                .equalTo(col(TABLE + ParsedRecords.CUSTOMER_ID)));
  }
}
