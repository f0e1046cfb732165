package io.flowders.parse;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;

/**
 * Kafka records turned into rows by {@link OrderParser}: one row per record, with the order's
 * columns when it was accepted and {@code raw_value}/{@code reason} when not. Keeping both in one
 * schema lets a micro-batch be read once and split by {@code reason IS NULL}. No record can fail
 * the batch: whatever goes wrong while handling one becomes its reason.
 */
public final class ParsedRecords implements MapPartitionsFunction<Row, Row> {

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
  private transient OrderParser parser;

  public ParsedRecords(InputRules rules) {
    this.rules = rules;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> records) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Row next() {
        return toRow(parser(), records.next());
      }
    };
  }

  private OrderParser parser() {
    if (parser == null) {
      parser = new OrderParser(rules);
    }
    return parser;
  }

  /** A row with {@link #KAFKA_COLUMNS} in order becomes a row of {@link #SCHEMA}. */
  static Row toRow(OrderParser parser, Row kafka) {
    String topic = kafka.getString(2);
    Object partition = kafka.get(3);
    Object offset = kafka.get(4);
    Timestamp timestamp = kafka.isNullAt(5) ? null : kafka.getTimestamp(5);
    Object value = kafka.get(1);
    String reason;
    try {
      byte[] key = (byte[]) kafka.get(0);
      ParseResult result =
          parser.parse(
              key, (byte[]) value, timestamp == null ? Instant.now() : timestamp.toInstant());
      if (result instanceof ParseResult.Accepted accepted) {
        Order o = accepted.order();
        return RowFactory.create(
            topic,
            partition,
            offset,
            timestamp,
            o.orderId(),
            o.customerId(),
            o.amount(),
            Timestamp.from(o.timestamp()),
            Timestamp.from(o.windowStart()),
            null,
            null);
      }
      reason = ((ParseResult.Rejected) result).reason();
    } catch (RuntimeException | StackOverflowError e) {
      reason = "internal error: " + Printable.cut(String.valueOf(e));
    }
    return RowFactory.create(
        topic,
        partition,
        offset,
        timestamp,
        null,
        null,
        null,
        null,
        null,
        value == null || value instanceof byte[]
            ? OrderParser.rawText((byte[]) value)
            : String.valueOf(value),
        reason);
  }
}
