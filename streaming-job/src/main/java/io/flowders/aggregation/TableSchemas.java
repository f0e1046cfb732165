package io.flowders.aggregation;

import static org.apache.iceberg.types.Types.NestedField.optional;

import io.flowders.parse.ParsedRecords;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * The shape of each of the job's Iceberg tables, written once: the DDL that creates them, the Spark
 * rows the job builds and the columns {@link OrderAggregation} selects are derived from these.
 * Tables made by an earlier version have these same columns in this order, so changing a column
 * here means migrating the tables that exist.
 */
public final class TableSchemas {

  public static final String UPDATED_AT = "updated_at";
  public static final String INGESTED_AT = "ingested_at";
  public static final String REJECTED_AT = "rejected_at";

  private static final Types.DecimalType MONEY =
      Types.DecimalType.of(ParsedRecords.MONEY.precision(), ParsedRecords.MONEY.scale());

  /**
   * A window's total: 38 digits hold 2^63 orders of the largest amount an order may have, so a
   * total never overflows, and Iceberg widens the DECIMAL(18,2) of tables made before in place.
   */
  public static final DecimalType TOTAL_AMOUNT =
      DataTypes.createDecimalType(DecimalType.MAX_PRECISION(), ParsedRecords.MONEY.scale());

  /** Spark's {@code timestamp} (a point in time, shown in the session's zone). */
  private static final Types.TimestampType TIMESTAMP = Types.TimestampType.withZone();

  /** {@code customer_minute_totals}: one row per (window_start, customer_id). */
  public static final Schema TOTALS =
      new Schema(
          optional(1, ParsedRecords.WINDOW_START, TIMESTAMP),
          optional(2, OrderAggregation.WINDOW_END, TIMESTAMP),
          optional(3, ParsedRecords.CUSTOMER_ID, Types.StringType.get()),
          optional(4, OrderAggregation.CLIENT_ORDERS, Types.LongType.get()),
          optional(
              5,
              OrderAggregation.CLIENT_AMOUNT,
              Types.DecimalType.of(TOTAL_AMOUNT.precision(), TOTAL_AMOUNT.scale())),
          optional(6, UPDATED_AT, TIMESTAMP));

  /** {@code rejected_orders}: every record the job could not accept, once per Kafka offset. */
  public static final Schema REJECTED =
      new Schema(
          optional(1, ParsedRecords.RAW_VALUE, Types.StringType.get()),
          optional(2, ParsedRecords.REASON, Types.StringType.get()),
          optional(3, ParsedRecords.TOPIC, Types.StringType.get()),
          optional(4, ParsedRecords.PARTITION, Types.IntegerType.get()),
          optional(5, ParsedRecords.OFFSET, Types.LongType.get()),
          optional(6, ParsedRecords.KAFKA_TIMESTAMP, TIMESTAMP),
          optional(7, REJECTED_AT, TIMESTAMP));

  /** {@code orders}: the deduplicated ledger, one row per order id. */
  public static final Schema ORDERS =
      new Schema(
          optional(1, ParsedRecords.ORDER_ID, Types.LongType.get()),
          optional(2, ParsedRecords.CUSTOMER_ID, Types.StringType.get()),
          optional(3, ParsedRecords.AMOUNT, MONEY),
          optional(4, ParsedRecords.ORDER_TS, TIMESTAMP),
          optional(5, ParsedRecords.WINDOW_START, TIMESTAMP),
          optional(6, ParsedRecords.TOPIC, Types.StringType.get()),
          optional(7, ParsedRecords.PARTITION, Types.IntegerType.get()),
          optional(8, ParsedRecords.OFFSET, Types.LongType.get()),
          optional(9, INGESTED_AT, TIMESTAMP));

  private TableSchemas() {}

  /** The names of {@code schema}'s columns but {@code excluded}, in the table's order. */
  static String[] columnsExcept(Schema schema, String excluded) {
    return schema.columns().stream()
        .map(Types.NestedField::name)
        .filter(name -> !name.equals(excluded))
        .toArray(String[]::new);
  }
}
