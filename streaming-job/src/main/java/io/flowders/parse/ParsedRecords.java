package io.flowders.parse;

import java.time.Instant;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Kafka records turned into rows by {@link OrderParser}: one row per record, with the order's
 * columns when it was accepted and {@code raw_value}/{@code reason} when not. Keeping both in one
 * schema lets a micro-batch be read once and split by {@code reason IS NULL}. No record can fail
 * the batch: whatever goes wrong while handling one becomes its reason.
 */
public final class ParsedRecords implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

  public static final String VALUE = "value";
  public static final String TOPIC = "kafka_topic";
  public static final String PARTITION = "kafka_partition";
  public static final String OFFSET = "kafka_offset";
  public static final String KAFKA_TIMESTAMP = "kafka_timestamp";
  public static final String ORDER_ID = "order_id";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String AMOUNT = "amount";
  public static final String ORDER_TS = "order_ts";
  public static final String WINDOW_START = "window_start";
  public static final String RAW_VALUE = "raw_value";
  public static final String REASON = "reason";

  public static final DecimalType MONEY = DataTypes.createDecimalType(18, 2);

  /** The Kafka source's columns this job reads, in this order. */
  public static final String[] KAFKA_COLUMNS = {
    "key", "value", "topic", "partition", "offset", "timestamp"
  };

  /** The Kafka source's shape, for tests and batch reads that stand in for it. */
  public static final StructType KAFKA_SCHEMA =
      new StructType()
          .add("key", DataTypes.BinaryType)
          .add("value", DataTypes.BinaryType)
          .add("topic", DataTypes.StringType)
          .add("partition", DataTypes.IntegerType)
          .add("offset", DataTypes.LongType)
          .add("timestamp", DataTypes.TimestampType);

  public static final StructType SCHEMA =
      new StructType()
          .add(TOPIC, DataTypes.StringType)
          .add(PARTITION, DataTypes.IntegerType)
          .add(OFFSET, DataTypes.LongType)
          .add(KAFKA_TIMESTAMP, DataTypes.TimestampType)
          .add(ORDER_ID, DataTypes.LongType)
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(AMOUNT, MONEY)
          .add(ORDER_TS, DataTypes.TimestampType)
          .add(WINDOW_START, DataTypes.TimestampType)
          .add(RAW_VALUE, DataTypes.StringType)
          .add(REASON, DataTypes.StringType);

  private final InputRules rules;

  public ParsedRecords(InputRules rules) {
    this.rules = rules;
  }

  @Override
  public Iterator<InternalRow> call(Iterator<InternalRow> records) {
    OrderParser parser = new OrderParser(rules);
    Topics topics = new Topics();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public InternalRow next() {
        return toRow(parser, topics, records.next());
      }
    };
  }

  /**
   * A row with {@link #KAFKA_COLUMNS} in order becomes a row of {@link #SCHEMA}, in Spark's own
   * representation (microseconds, {@link Decimal}, {@link UTF8String}): no encoder converts Java
   * objects for each record. The input row may be reused by its source once this returns, so
   * nothing of it is kept but copies.
   */
  static InternalRow toRow(OrderParser parser, Topics topics, InternalRow kafka) {
    UTF8String topic = kafka.isNullAt(2) ? null : topics.copyOf(kafka.getUTF8String(2));
    int partition = kafka.getInt(3);
    long offset = kafka.getLong(4);
    Object timestamp = kafka.isNullAt(5) ? null : kafka.getLong(5);
    Object value = null;
    String reason;
    try {
      value = kafka.isNullAt(1) ? null : kafka.getBinary(1);
      byte[] key = kafka.isNullAt(0) ? null : kafka.getBinary(0);
      Instant written =
          timestamp == null ? Instant.now() : DateTimeUtils.microsToInstant((Long) timestamp);
      ParseResult result = parser.parse(key, (byte[]) value, written);
      if (result instanceof ParseResult.Accepted accepted) {
        Order o = accepted.order();
        return new GenericInternalRow(
            new Object[] {
              topic,
              partition,
              offset,
              timestamp,
              o.orderId(),
              UTF8String.fromString(o.customerId()),
              Decimal.apply(o.amount(), MONEY.precision(), MONEY.scale()),
              DateTimeUtils.instantToMicros(o.timestamp()),
              DateTimeUtils.instantToMicros(o.windowStart()),
              null,
              null
            });
      }
      reason = ((ParseResult.Rejected) result).reason();
    } catch (RuntimeException | StackOverflowError e) {
      reason = "internal error: " + Printable.cut(String.valueOf(e));
      value = kafka.isNullAt(1) ? null : kafka.get(1, DataTypes.BinaryType);
    }
    return new GenericInternalRow(
        new Object[] {
          topic,
          partition,
          offset,
          timestamp,
          null,
          null,
          null,
          null,
          null,
          UTF8String.fromString(
              value == null || value instanceof byte[]
                  ? OrderParser.rawText((byte[]) value)
                  : String.valueOf(value)),
          UTF8String.fromString(reason)
        });
  }

  /**
   * The topic's name, copied once per partition rather than once per record: a source row's string
   * points into a buffer the next row overwrites.
   */
  static final class Topics {
    private UTF8String last;

    UTF8String copyOf(UTF8String topic) {
      if (!topic.equals(last)) {
        last = topic.clone();
      }
      return last;
    }
  }
}
