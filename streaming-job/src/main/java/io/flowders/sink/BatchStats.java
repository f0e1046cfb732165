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

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the rest of a batch's writing needs to know about it, from one pass over its Kafka
 * partitions: sizes, event-time and order-id ranges (they bound the ledger lookups), offset ranges,
 * and the {@link BatchMarker} its commits carry. Event times and ids are null without an accepted
 * order.
 */
record BatchStats(
    long records,
    long rejected,
    Instant firstEvent,
    Instant lastEvent,
    Long minOrderId,
    Long maxOrderId,
    List<BatchMarker.PartitionRange> ranges,
    BatchMarker marker,
    Instant now) {

  private static final String RECORDS = "records";
  private static final String REJECTED = "rejected";
  private static final String FIRST_EVENT = "first_event";
  private static final String LAST_EVENT = "last_event";
  private static final String FIRST_OFFSET = "first_offset";
  private static final String LAST_OFFSET = "last_offset";
  private static final String MIN_ORDER_ID = "min_order_id";
  private static final String MAX_ORDER_ID = "max_order_id";

  static BatchStats of(Dataset<Row> parsed, long sparkBatchId) {
    List<Row> partitions =
        parsed
            .groupBy(TOPIC, PARTITION)
            .agg(
                count(lit(1)).as(RECORDS),
                count(col(REASON)).as(REJECTED),
                min(ORDER_TS).as(FIRST_EVENT),
                max(ORDER_TS).as(LAST_EVENT),
                min(OFFSET).as(FIRST_OFFSET),
                max(OFFSET).as(LAST_OFFSET),
                min(ORDER_ID).as(MIN_ORDER_ID),
                max(ORDER_ID).as(MAX_ORDER_ID))
            .collectAsList();
    long records = 0;
    long rejected = 0;
    Instant first = null;
    Instant last = null;
    Long minId = null;
    Long maxId = null;
    List<BatchMarker.PartitionRange> ranges = new ArrayList<>();
    for (Row p : partitions) {
      records += p.<Long>getAs(RECORDS);
      rejected += p.<Long>getAs(REJECTED);
      first = earlier(first, instant(p.getAs(FIRST_EVENT)));
      last = later(last, instant(p.getAs(LAST_EVENT)));
      minId = smaller(minId, p.getAs(MIN_ORDER_ID));
      maxId = larger(maxId, p.getAs(MAX_ORDER_ID));
      ranges.add(
          new BatchMarker.PartitionRange(
              p.getAs(TOPIC),
              p.getAs(PARTITION),
              p.getAs(FIRST_OFFSET),
              p.getAs(LAST_OFFSET),
              p.getAs(RECORDS)));
    }
    return new BatchStats(
        records,
        rejected,
        first,
        last,
        minId,
        maxId,
        List.copyOf(ranges),
        BatchMarker.of(ranges, sparkBatchId),
        Instant.now());
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private static Long smaller(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.min(a, b));
  }

  private static Long larger(Long a, Long b) {
    return a == null ? b : b == null ? a : Long.valueOf(Math.max(a, b));
  }
}
