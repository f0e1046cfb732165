package io.flowders.aggregation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import io.flowders.parse.InputRules;
import io.flowders.parse.ParsedRecords;
import io.flowders.parse.Windows;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * The recomputation, as plain Dataset functions: parse, keep accepted orders, drop duplicate order
 * ids, total per (window, customer). The streaming job applies them to each micro-batch; {@code
 * ./flowders verify} applies them to the whole topic read in batch and compares.
 */
public final class OrderAggregation {

  public static final String WINDOW_END = "window_end";
  public static final String CLIENT_ORDERS = "client_orders";
  public static final String CLIENT_AMOUNT = "client_amount";

  private static final String FIRST = "_first_";
  private static final String RANK = "_rank";

  /**
   * Which record of an order id is its first: the earliest Kafka timestamp (records sent one after
   * the other, whatever their partitions), then partition and offset. The job applies it within a
   * micro-batch (an earlier batch's record always comes first); verify, to the whole topic.
   */
  private static final Column[] FIRST_RECORD = {
    col(ParsedRecords.KAFKA_TIMESTAMP), col(ParsedRecords.PARTITION), col(ParsedRecords.OFFSET)
  };

  /** What makes two records of one order id the same order. */
  private static final String[] COMPARED = {
    ParsedRecords.CUSTOMER_ID, ParsedRecords.AMOUNT, ParsedRecords.ORDER_TS
  };

  /** The ledger's columns an order has before it is written. */
  private static final String[] ORDER_COLUMNS =
      TableSchemas.columnsExcept(TableSchemas.ORDERS, TableSchemas.INGESTED_AT);

  /** An accepted record's columns: the order's and its Kafka timestamp. */
  private static final String[] BATCH_COLUMNS =
      concat(ORDER_COLUMNS, new String[] {ParsedRecords.KAFKA_TIMESTAMP});

  private OrderAggregation() {}

  /**
   * Kafka-shaped rows (the source's columns, see {@link ParsedRecords#KAFKA_SCHEMA}) → {@link
   * ParsedRecords#SCHEMA}. A batch, not a stream: the job parses each micro-batch. The records go
   * through {@link ParsedRecords} as Spark's internal rows, which a {@code mapPartitions} over
   * {@link Row}s would box and convert twice per record.
   */
  public static Dataset<Row> parse(Dataset<Row> kafkaRecords, InputRules rules) {
    RDD<InternalRow> parsed =
        kafkaRecords
            .selectExpr(ParsedRecords.KAFKA_COLUMNS)
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(new ParsedRecords(rules))
            .rdd();
    return kafkaRecords.sparkSession().internalCreateDataFrame(parsed, ParsedRecords.SCHEMA, false);
  }

  /**
   * Accepted orders with their Kafka timestamp (it decides which record of an order id is first):
   * for {@link #duplicates} and {@link #dedupe}.
   */
  public static Dataset<Row> acceptedRecords(Dataset<Row> parsed) {
    return parsed.filter(col(ParsedRecords.REASON).isNull()).select(columns(BATCH_COLUMNS));
  }

  /** Rejected records in {@code rejected_orders}' columns but {@code rejected_at}. */
  public static Dataset<Row> rejected(Dataset<Row> parsed) {
    return parsed
        .filter(col(ParsedRecords.REASON).isNotNull())
        .select(
            columns(TableSchemas.columnsExcept(TableSchemas.REJECTED, TableSchemas.REJECTED_AT)));
  }

  /**
   * The duplicate rules, for a batch of accepted orders (with their Kafka columns) against the
   * orders already counted ({@code counted}, the ledger's rows; the caller may narrow them to the
   * batch's ids): each order id counts once, from its first record (the counted one, else the
   * batch's first by partition, then offset). A later record with the same content (customer_id,
   * amount, instant) is a re-send and drops out; one with other content is a conflicting duplicate,
   * quarantined with a reason naming the first one's place in the topic.
   */
  public static Duplicates duplicates(Dataset<Row> accepted, Dataset<Row> counted) {
    String source = "_source";
    String[] place = {ParsedRecords.TOPIC, ParsedRecords.PARTITION, ParsedRecords.OFFSET};
    WindowSpec byId =
        Window.partitionBy(ParsedRecords.ORDER_ID)
            .orderBy(
                Stream.concat(Stream.of(col(source)), Arrays.stream(FIRST_RECORD))
                    .toArray(Column[]::new));
    Dataset<Row> candidates =
        counted
            .select(columns(ORDER_COLUMNS))
            .withColumn(ParsedRecords.KAFKA_TIMESTAMP, lit(null).cast("timestamp"))
            .withColumn(source, lit(0))
            .unionByName(accepted.select(columns(BATCH_COLUMNS)).withColumn(source, lit(1)))
            .withColumn(RANK, row_number().over(byId));
    for (String name : concat(COMPARED, place)) {
      candidates = candidates.withColumn(FIRST + name, first(col(name)).over(byId));
    }
    return new Duplicates(candidates.filter(col(source).equalTo(1)));
  }

  /**
   * Whether each accepted record's order id is its own: no other record of the batch and no row of
   * {@code counted} (the ledger's rows, or a part of them that holds every id of the batch) has it.
   * Then {@link #duplicates} finds nothing, and {@link Duplicates#allFresh} says the same without
   * its window over every column: the ids alone are compared (the common shape, a backlog of orders
   * sent once, costs a hash aggregate of the ids instead of a sort of the batch).
   */
  public static boolean eachIdOnce(Dataset<Row> accepted, Dataset<Row> counted) {
    String records = "_records";
    String inLedger = "_counted";
    return accepted
        .groupBy(ParsedRecords.ORDER_ID)
        .agg(count(lit(1)).as(records))
        .join(
            counted.select(col(ParsedRecords.ORDER_ID), lit(true).as(inLedger)),
            new String[] {ParsedRecords.ORDER_ID},
            "left_outer")
        .filter(col(records).gt(1).or(col(inLedger).isNotNull()))
        .isEmpty();
  }

  /**
   * What {@link #duplicates} makes of a batch: each accepted record next to the first of its order
   * id. Materialise {@link #classified()} (e.g. {@code localCheckpoint}) before using both parts.
   * {@code allFresh}: made by {@link #allFresh}, so every accepted record is fresh and none
   * conflicts.
   */
  public record Duplicates(Dataset<Row> classified, boolean allFresh) {

    /** {@link #duplicates} of a batch that may hold ids seen before. */
    public Duplicates(Dataset<Row> classified) {
      this(classified, false);
    }

    /**
     * {@link #duplicates} of a batch whose ids are each its own ({@link #eachIdOnce}): every record
     * is the first of its id. Nothing here reads the ledger, so nothing needs materialising.
     */
    public static Duplicates allFresh(Dataset<Row> accepted) {
      String[] place = {ParsedRecords.TOPIC, ParsedRecords.PARTITION, ParsedRecords.OFFSET};
      Dataset<Row> classified = accepted.select(columns(BATCH_COLUMNS)).withColumn(RANK, lit(1));
      for (String name : concat(COMPARED, place)) {
        classified = classified.withColumn(FIRST + name, col(name));
      }
      return new Duplicates(classified, true);
    }

    /** The orders to count, in the ledger's columns but {@code ingested_at}. */
    public Dataset<Row> fresh() {
      return classified.filter(col(RANK).equalTo(1)).select(columns(ORDER_COLUMNS));
    }

    /**
     * Conflicting duplicates, in {@code rejected_orders}' columns but {@code rejected_at}; their
     * raw value is the order as read (the same fields, re-serialised).
     */
    public Dataset<Row> conflicts() {
      Column[] differences =
          Arrays.stream(COMPARED)
              .map(
                  name ->
                      when(
                          not(col(name).eqNullSafe(col(FIRST + name))),
                          lit(name.equals(ParsedRecords.ORDER_TS) ? "timestamp" : name)))
              .toArray(Column[]::new);
      String differs = "_differs";
      return classified
          .filter(col(RANK).gt(1))
          .withColumn(differs, concat_ws(", ", differences))
          .filter(col(differs).notEqual(lit("")))
          .withColumn(
              ParsedRecords.REASON,
              functions.concat(
                  lit("conflicting duplicate: order_id "),
                  col(ParsedRecords.ORDER_ID),
                  lit(" was counted first from "),
                  col(FIRST + ParsedRecords.TOPIC),
                  lit(" partition "),
                  col(FIRST + ParsedRecords.PARTITION),
                  lit(" offset "),
                  col(FIRST + ParsedRecords.OFFSET),
                  lit("; this one differs in "),
                  col(differs)))
          .withColumn(
              ParsedRecords.RAW_VALUE,
              to_json(
                  struct(
                      col(ParsedRecords.ORDER_ID),
                      col(ParsedRecords.CUSTOMER_ID),
                      col(ParsedRecords.AMOUNT),
                      col(ParsedRecords.ORDER_TS).as("timestamp")),
                  Map.of("timestampFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX")))
          .select(
              columns(TableSchemas.columnsExcept(TableSchemas.REJECTED, TableSchemas.REJECTED_AT)));
    }
  }

  /**
   * One row per order id: its first record, by {@link #FIRST_RECORD}, so the job and a
   * recomputation keep the same one whatever the batch boundaries were. Takes {@link
   * #acceptedRecords} (the Kafka timestamp is part of the order).
   */
  public static Dataset<Row> dedupe(Dataset<Row> records) {
    String rank = "_first";
    return records
        .withColumn(
            rank,
            row_number().over(Window.partitionBy(ParsedRecords.ORDER_ID).orderBy(FIRST_RECORD)))
        .filter(col(rank).equalTo(1))
        .drop(rank)
        .select(columns(ORDER_COLUMNS));
  }

  /**
   * Deduplicated orders → one row per (window_start, customer_id), in the totals table's columns
   * but {@code updated_at}, set when written.
   */
  public static Dataset<Row> totals(Dataset<Row> orders) {
    return orders
        .groupBy(ParsedRecords.WINDOW_START, ParsedRecords.CUSTOMER_ID)
        .agg(
            count(lit(1)).as(CLIENT_ORDERS),
            sum(ParsedRecords.AMOUNT).cast(TableSchemas.TOTAL_AMOUNT).as(CLIENT_AMOUNT))
        .withColumn(WINDOW_END, col(ParsedRecords.WINDOW_START).plus(lit(Windows.LENGTH)))
        .select(columns(TableSchemas.columnsExcept(TableSchemas.TOTALS, TableSchemas.UPDATED_AT)));
  }

  /** What the table must hold for these Kafka records, computed from scratch. */
  public static Dataset<Row> recompute(Dataset<Row> kafkaRecords, InputRules rules) {
    return totals(dedupe(acceptedRecords(parse(kafkaRecords, rules))));
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
  }

  private static Column[] columns(String[] names) {
    return Arrays.stream(names).map(functions::col).toArray(Column[]::new);
  }
}
