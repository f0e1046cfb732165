package io.flowders.sink;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.ParsedRecords;
import java.io.PrintStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The seed's console output: the window rows a trigger changed, whole (never truncated). */
public final class ConsoleTable {

  private final PrintStream out;

  public ConsoleTable(PrintStream out) {
    this.out = out;
  }

  /** Totals-shaped rows → the seed's columns, sorted by window then customer. */
  public static Dataset<Row> seedView(Dataset<Row> totals) {
    return totals
        .select(struct(col(ParsedRecords.WINDOW_START).as("start"),
                col(OrderAggregation.WINDOW_END).as("end")).as("window"),
            col(ParsedRecords.CUSTOMER_ID), col(OrderAggregation.CLIENT_ORDERS),
            col(OrderAggregation.CLIENT_AMOUNT))
        .orderBy("window", ParsedRecords.CUSTOMER_ID);
  }

  public void print(long batchId, Dataset<Row> changedTotals, long rows) {
    String table = seedView(changedTotals).showString((int) Math.min(rows, Integer.MAX_VALUE), 0, false);
    out.print("-------------------------------------------\nBatch: " + batchId
        + "\n-------------------------------------------\n" + table);
    out.flush();
  }
}
