package io.flowders.sink;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.parse.ParsedRecords;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The seed's console output: the window rows a trigger changed, whole (never truncated). */
public final class ConsoleTable {

  private final PrintStream out;

  public ConsoleTable(PrintStream out) {
    this.out = out;
  }

  /** The seed's columns. */
  static final StructType SEED_SCHEMA =
      new StructType()
          .add(
              "window",
              new StructType()
                  .add("start", DataTypes.TimestampType)
                  .add("end", DataTypes.TimestampType))
          .add(ParsedRecords.CUSTOMER_ID, DataTypes.StringType)
          .add(OrderAggregation.CLIENT_ORDERS, DataTypes.LongType)
          .add(OrderAggregation.CLIENT_AMOUNT, ParsedRecords.MONEY);

  /**
   * Totals-shaped rows ({@link TotalsUpsert#SPARK_SCHEMA}) in the seed's columns, sorted by window
   * then customer. Sorted here and shown from a local relation: no Spark job per trigger.
   */
  public void print(SparkSession spark, long batchId, List<Row> totals) {
    List<Row> seed =
        totals.stream()
            .sorted(
                Comparator.comparing((Row r) -> r.getTimestamp(0))
                    .thenComparing(r -> r.getString(2)))
            .map(
                r ->
                    RowFactory.create(
                        RowFactory.create(r.getTimestamp(0), r.getTimestamp(1)),
                        r.getString(2),
                        r.getLong(3),
                        r.getDecimal(4)))
            .toList();
    String table = spark.createDataFrame(seed, SEED_SCHEMA).showString(seed.size(), 0, false);
    out.print(
        "-------------------------------------------\nBatch: "
            + batchId
            + "\n-------------------------------------------\n"
            + table);
    out.flush();
  }
}
