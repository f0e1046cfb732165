package io.flowders.sink;

import static io.flowders.parse.ParsedRecords.OFFSET;
import static io.flowders.parse.ParsedRecords.ORDER_ID;
import static io.flowders.parse.ParsedRecords.ORDER_TS;
import static io.flowders.parse.ParsedRecords.PARTITION;
import static io.flowders.parse.ParsedRecords.REASON;
import static io.flowders.parse.ParsedRecords.TOPIC;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the rest of a batch's writing needs to know about it, from one pass over its Kafka
 * partitions: sizes, event-time and order-id ranges (they bound the ledger lookups), and the {@link
 * BatchMarker} its commits carry. Event times and ids are null without an accepted order.
 */
record BatchStats(
    long records,
    long rejected,
    Instant firstEvent,
    Instant lastEvent,
    Long minOrderId,
    Long maxOrderId,
    BatchMarker marker,
    Instant now) {

  static BatchStats of(Dataset<Row> parsed, long sparkBatchId) {
    List<Row> partitions =
        parsed
            .groupBy(TOPIC, PARTITION)
            .agg(
                count(lit(1)),
                count(col(REASON)),
                min(ORDER_TS),
                max(ORDER_TS),
                min(OFFSET),
                max(OFFSET),
                min(ORDER_ID),
                max(ORDER_ID))
            .collectAsList();
    long records = 0;
    long rejected = 0;
    Instant first = null;
    Instant last = null;
    Long minId = null;
    Long maxId = null;
    List<BatchMarker.PartitionRange> ranges = new ArrayList<>();
    for (Row p : partitions) {
      records += p.getLong(2);
      rejected += p.getLong(3);
      first = earlier(first, p.isNullAt(4) ? null : p.getTimestamp(4).toInstant());
      last = later(last, p.isNullAt(5) ? null : p.getTimestamp(5).toInstant());
      minId = p.isNullAt(8) ? minId : minId == null ? p.getLong(8) : Math.min(minId, p.getLong(8));
      maxId = p.isNullAt(9) ? maxId : maxId == null ? p.getLong(9) : Math.max(maxId, p.getLong(9));
      ranges.add(
          new BatchMarker.PartitionRange(
              p.getString(0), p.getInt(1), p.getLong(6), p.getLong(7), p.getLong(2)));
    }
    return new BatchStats(
        records,
        rejected,
        first,
        last,
        minId,
        maxId,
        BatchMarker.of(ranges, sparkBatchId),
        Instant.now());
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }
}
