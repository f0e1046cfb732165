package io.flowders.sink;

import io.flowders.aggregation.OrderAggregation;
import io.flowders.aggregation.TableSchemas;
import io.flowders.parse.ParsedRecords;
import io.flowders.parse.Windows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericAppenderFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * Upserts {@code customer_minute_totals} from the driver, as Iceberg's streaming writers do: the
 * new rows and an equality delete of their keys, in one row-delta commit. A batch touches a few
 * rows (customers x windows), so this costs two small files and a commit instead of a copy-on-write
 * MERGE's Spark jobs. The new values are the current ones plus the batch's increments; the current
 * ones of recent windows are kept here, since the job is the table's only writer, and read from the
 * table only for keys it does not hold (after a restart, or for a late order's old window).
 */
final class TotalsUpsert {

  static final String WINDOW_START = ParsedRecords.WINDOW_START;
  static final String CUSTOMER_ID = ParsedRecords.CUSTOMER_ID;

  /** The table's columns, in order, as the console and Spark see them. */
  static final StructType SPARK_SCHEMA = SparkSchemaUtil.convert(TableSchemas.TOTALS);

  record Key(Instant windowStart, String customerId) {}

  record Totals(long orders, BigDecimal amount) {
    static final Totals ZERO = new Totals(0, BigDecimal.ZERO.setScale(2));

    Totals plus(Totals other) {
      return new Totals(orders + other.orders, amount.add(other.amount));
    }
  }

  private final Map<Key, Totals> recent = new HashMap<>();

  /**
   * Adds {@code increments} to the table's rows, in a commit carrying {@code marker}'s tag, and
   * returns the rows written (the table's columns, {@link #SPARK_SCHEMA}).
   */
  List<Row> apply(Table table, Map<Key, Totals> increments, BatchMarker marker, Instant now) {
    if (increments.isEmpty()) {
      return List.of();
    }
    Map<Key, Totals> current = current(table, increments.keySet());
    Map<Key, Totals> updated = new LinkedHashMap<>();
    increments.forEach(
        (key, inc) -> updated.put(key, current.getOrDefault(key, Totals.ZERO).plus(inc)));
    commit(table, updated, current.keySet(), marker, now);
    recent.putAll(updated);
    return updated.entrySet().stream().map(e -> row(e.getKey(), e.getValue(), now)).toList();
  }

  /**
   * Forgets the values of windows that start before {@code windowStart}; the table still has them.
   */
  void forgetBefore(Instant windowStart) {
    recent.keySet().removeIf(key -> key.windowStart().isBefore(windowStart));
  }

  /** Forgets every value: after a failed commit, only the table knows what it holds. */
  void forgetAll() {
    recent.clear();
  }

  private Map<Key, Totals> current(Table table, Set<Key> keys) {
    Map<Key, Totals> found = new HashMap<>();
    List<Key> missing = new ArrayList<>();
    for (Key key : keys) {
      Totals known = recent.get(key);
      if (known != null) {
        found.put(key, known);
      } else {
        missing.add(key);
      }
    }
    if (!missing.isEmpty() && table.currentSnapshot() != null) {
      Set<Key> wanted = Set.copyOf(missing);
      Instant from = missing.stream().map(Key::windowStart).min(Instant::compareTo).orElseThrow();
      Instant to = missing.stream().map(Key::windowStart).max(Instant::compareTo).orElseThrow();
      try (CloseableIterable<Record> rows =
          IcebergGenerics.read(table)
              .where(
                  Expressions.and(
                      Expressions.greaterThanOrEqual(
                          WINDOW_START, DateTimeUtil.microsFromInstant(from)),
                      Expressions.lessThanOrEqual(
                          WINDOW_START, DateTimeUtil.microsFromInstant(to))))
              .build()) {
        for (Record r : rows) {
          Key key = new Key(instant(r.getField(WINDOW_START)), (String) r.getField(CUSTOMER_ID));
          if (wanted.contains(key)) {
            found.put(
                key,
                new Totals(
                    (Long) r.getField(OrderAggregation.CLIENT_ORDERS),
                    (BigDecimal) r.getField(OrderAggregation.CLIENT_AMOUNT)));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  /** One data file and one equality-delete file per day partition the rows fall in. */
  private static void commit(
      Table table, Map<Key, Totals> rows, Set<Key> replaced, BatchMarker marker, Instant now) {
    Schema schema = table.schema();
    Schema keySchema = schema.select(WINDOW_START, CUSTOMER_ID);
    int[] keyIds = keySchema.columns().stream().mapToInt(Types.NestedField::fieldId).toArray();
    GenericAppenderFactory files =
        new GenericAppenderFactory(schema, table.spec(), keyIds, keySchema, null);
    OutputFileFactory names =
        OutputFileFactory.builderFor(table, 0, 0)
            .format(FileFormat.PARQUET)
            .operationId("flowders-" + marker.id())
            .build();
    InternalRecordWrapper wrapper = new InternalRecordWrapper(schema.asStruct());
    Map<PartitionKey, List<Map.Entry<Key, Totals>>> byPartition = new LinkedHashMap<>();
    for (Map.Entry<Key, Totals> row : rows.entrySet()) {
      PartitionKey partition = new PartitionKey(table.spec(), schema);
      partition.partition(wrapper.wrap(record(schema, row.getKey(), row.getValue(), now)));
      byPartition.computeIfAbsent(partition, p -> new ArrayList<>()).add(row);
    }
    RowDelta delta = table.newRowDelta();
    marker.properties().forEach(delta::set);
    try {
      for (Map.Entry<PartitionKey, List<Map.Entry<Key, Totals>>> part : byPartition.entrySet()) {
        DataWriter<Record> data =
            files.newDataWriter(
                names.newOutputFile(table.spec(), part.getKey()),
                FileFormat.PARQUET,
                part.getKey());
        try (data) {
          for (Map.Entry<Key, Totals> row : part.getValue()) {
            data.write(record(schema, row.getKey(), row.getValue(), now));
          }
        }
        delta.addRows(data.toDataFile());
        List<Key> deleted =
            part.getValue().stream().map(Map.Entry::getKey).filter(replaced::contains).toList();
        if (!deleted.isEmpty()) {
          EqualityDeleteWriter<Record> deletes =
              files.newEqDeleteWriter(
                  names.newOutputFile(table.spec(), part.getKey()),
                  FileFormat.PARQUET,
                  part.getKey());
          try (deletes) {
            for (Key key : deleted) {
              GenericRecord r = GenericRecord.create(keySchema);
              r.setField(WINDOW_START, timestamp(keySchema, key.windowStart()));
              r.setField(CUSTOMER_ID, key.customerId());
              deletes.write(r);
            }
          }
          delta.addDeletes(deletes.toDeleteFile());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + table.name() + "'s files", e);
    }
    delta.commit();
  }

  private static Record record(Schema schema, Key key, Totals totals, Instant now) {
    GenericRecord r = GenericRecord.create(schema);
    r.setField(WINDOW_START, timestamp(schema, key.windowStart()));
    r.setField(
        OrderAggregation.WINDOW_END, timestamp(schema, key.windowStart().plus(Windows.LENGTH)));
    r.setField(CUSTOMER_ID, key.customerId());
    r.setField(OrderAggregation.CLIENT_ORDERS, totals.orders());
    r.setField(OrderAggregation.CLIENT_AMOUNT, totals.amount().setScale(2));
    r.setField(TableSchemas.UPDATED_AT, timestamp(schema, now));
    return r;
  }

  private static Row row(Key key, Totals totals, Instant now) {
    Object[] values = new Object[SPARK_SCHEMA.size()];
    values[SPARK_SCHEMA.fieldIndex(WINDOW_START)] = Timestamp.from(key.windowStart());
    values[SPARK_SCHEMA.fieldIndex(OrderAggregation.WINDOW_END)] =
        Timestamp.from(key.windowStart().plus(Windows.LENGTH));
    values[SPARK_SCHEMA.fieldIndex(CUSTOMER_ID)] = key.customerId();
    values[SPARK_SCHEMA.fieldIndex(OrderAggregation.CLIENT_ORDERS)] = totals.orders();
    values[SPARK_SCHEMA.fieldIndex(OrderAggregation.CLIENT_AMOUNT)] = totals.amount().setScale(2);
    values[SPARK_SCHEMA.fieldIndex(TableSchemas.UPDATED_AT)] = Timestamp.from(now);
    return new GenericRowWithSchema(values, SPARK_SCHEMA);
  }

  /**
   * Spark's timestamp is Iceberg's timestamptz (OffsetDateTime); a table made elsewhere may use
   * timestamp.
   */
  private static Object timestamp(Schema schema, Instant instant) {
    Type type = schema.findType(WINDOW_START);
    return ((Types.TimestampType) type).shouldAdjustToUTC()
        ? instant.atOffset(ZoneOffset.UTC)
        : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant instant(Object value) {
    return value instanceof OffsetDateTime odt
        ? odt.toInstant()
        : ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
  }
}
