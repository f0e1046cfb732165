package io.flowders.sink;

import static io.flowders.aggregation.OrderAggregation.CLIENT_AMOUNT;
import static io.flowders.aggregation.OrderAggregation.CLIENT_ORDERS;
import static io.flowders.aggregation.OrderAggregation.WINDOW_END;
import static io.flowders.parse.ParsedRecords.CUSTOMER_ID;
import static io.flowders.parse.ParsedRecords.WINDOW_START;

import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The seed's console output: the window rows a trigger changed, whole (never truncated). */
public final class ConsoleTable {

  private final PrintStream out;

  public ConsoleTable(PrintStream out) {
    this.out = out;
  }

  /** The seed's columns: the totals' window as a {start, end} struct, then three of its columns. */
  static final StructType SEED_SCHEMA =
      new StructType()
          .add(
              "window",
              new StructType()
                  .add("start", TotalsUpsert.SPARK_SCHEMA.apply(WINDOW_START).dataType())
                  .add("end", TotalsUpsert.SPARK_SCHEMA.apply(WINDOW_END).dataType()))
          .add(TotalsUpsert.SPARK_SCHEMA.apply(CUSTOMER_ID))
          .add(TotalsUpsert.SPARK_SCHEMA.apply(CLIENT_ORDERS))
          .add(TotalsUpsert.SPARK_SCHEMA.apply(CLIENT_AMOUNT));

  /**
   * Totals-shaped rows ({@link TotalsUpsert#SPARK_SCHEMA}) in the seed's columns, sorted by window
   * then customer. Sorted here and shown from a local relation: no Spark job per trigger.
   */
  public void print(SparkSession spark, long batchId, List<Row> totals) {
    List<Row> seed =
        totals.stream()
            .sorted(
                Comparator.comparing((Row r) -> r.<Timestamp>getAs(WINDOW_START))
                    .thenComparing(r -> r.<String>getAs(CUSTOMER_ID)))
            .map(
                r ->
                    RowFactory.create(
                        RowFactory.create(r.getAs(WINDOW_START), r.getAs(WINDOW_END)),
                        r.getAs(CUSTOMER_ID),
                        r.getAs(CLIENT_ORDERS),
                        r.getAs(CLIENT_AMOUNT)))
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
