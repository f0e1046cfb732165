package io.flowders.aggregation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import io.flowders.parse.ParsedRecords;
import io.flowders.parse.Windows;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
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

  private OrderAggregation() {}

  /**
   * Kafka-shaped rows (the source's columns, see {@link ParsedRecords#KAFKA_SCHEMA}) → {@link
   * ParsedRecords#SCHEMA}.
   */
  public static Dataset<Row> parse(Dataset<Row> kafkaRecords) {
    return kafkaRecords
        .selectExpr(ParsedRecords.KAFKA_COLUMNS)
        .mapPartitions(new ParsedRecords(), Encoders.row(ParsedRecords.SCHEMA));
  }

  /** Accepted orders in the ledger's columns but {@code ingested_at}, set when written. */
  public static Dataset<Row> accepted(Dataset<Row> parsed) {
    return parsed
        .filter(col(ParsedRecords.REASON).isNull())
        .select(columns(TableSchemas.columnsExcept(TableSchemas.ORDERS, TableSchemas.INGESTED_AT)));
  }

  /** Rejected records in {@code rejected_orders}' columns but {@code rejected_at}. */
  public static Dataset<Row> rejected(Dataset<Row> parsed) {
    return parsed
        .filter(col(ParsedRecords.REASON).isNotNull())
        .select(
            columns(TableSchemas.columnsExcept(TableSchemas.REJECTED, TableSchemas.REJECTED_AT)));
  }

  /**
   * One row per order id: the first record of it in the topic (lowest partition, then offset), so
   * the job and a recomputation keep the same one whatever the batch boundaries were.
   */
  public static Dataset<Row> dedupe(Dataset<Row> orders) {
    String rank = "_first";
    return orders
        .withColumn(
            rank,
            row_number()
                .over(
                    Window.partitionBy(ParsedRecords.ORDER_ID)
                        .orderBy(ParsedRecords.PARTITION, ParsedRecords.OFFSET)))
        .filter(col(rank).equalTo(1))
        .drop(rank);
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
            sum(ParsedRecords.AMOUNT).cast(ParsedRecords.MONEY).as(CLIENT_AMOUNT))
        .withColumn(WINDOW_END, col(ParsedRecords.WINDOW_START).plus(lit(Windows.LENGTH)))
        .select(columns(TableSchemas.columnsExcept(TableSchemas.TOTALS, TableSchemas.UPDATED_AT)));
  }

  /** What the table must hold for these Kafka records, computed from scratch. */
  public static Dataset<Row> recompute(Dataset<Row> kafkaRecords) {
    return totals(dedupe(accepted(parse(kafkaRecords))));
  }

  private static Column[] columns(String[] names) {
    return Arrays.stream(names).map(functions::col).toArray(Column[]::new);
  }
}
