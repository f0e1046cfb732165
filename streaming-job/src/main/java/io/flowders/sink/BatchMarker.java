package io.flowders.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;

/**
 * Names a micro-batch by the Kafka records it holds, and tags the Iceberg commits made for it, so
 * that a replay finds out which of its commits already happened. Offsets, not Spark's batch id: the
 * same offsets are the same records whatever the checkpoint says (a lost checkpoint restarts the
 * batch ids at 0), and the tag lives in the commit itself, so it is there exactly when the data is.
 */
public final class BatchMarker {

  /** Snapshot summary key holding {@link #id()}. */
  public static final String SUMMARY_KEY = "flowders.batch";

  /** Spark's batch id, for people reading the snapshots. */
  public static final String SPARK_BATCH_ID_KEY = "flowders.spark-batch-id";

  private final String id;
  private final long sparkBatchId;

  private BatchMarker(String id, long sparkBatchId) {
    this.id = id;
    this.sparkBatchId = sparkBatchId;
  }

  /** Per Kafka partition: first offset, last offset and record count. */
  public record PartitionRange(
      String topic, int partition, long firstOffset, long lastOffset, long records) {}

  public static BatchMarker of(Iterable<PartitionRange> ranges, long sparkBatchId) {
    SortedMap<String, PartitionRange> sorted = new TreeMap<>();
    ranges.forEach(r -> sorted.put(r.topic() + "/" + String.format("%010d", r.partition()), r));
    StringBuilder canonical = new StringBuilder();
    sorted
        .values()
        .forEach(
            r ->
                canonical
                    .append(r.topic())
                    .append(':')
                    .append(r.partition())
                    .append(':')
                    .append(r.firstOffset())
                    .append('-')
                    .append(r.lastOffset())
                    .append(':')
                    .append(r.records())
                    .append(';'));
    return new BatchMarker(sha256(canonical.toString()), sparkBatchId);
  }

  /** The marker a tagged commit carries. */
  public static BatchMarker of(Snapshot tagged) {
    Map<String, String> summary = tagged.summary();
    String sparkBatchId = summary.get(SPARK_BATCH_ID_KEY);
    return new BatchMarker(
        summary.get(SUMMARY_KEY), sparkBatchId == null ? -1 : Long.parseLong(sparkBatchId));
  }

  public String id() {
    return id;
  }

  /**
   * The newest tagged commit of {@code table} if it is this batch's: commits are in batch order.
   */
  public Optional<Snapshot> lastCommitIn(Table table) {
    return lastTagged(table).filter(s -> id.equals(s.summary().get(SUMMARY_KEY)));
  }

  /**
   * This batch's commit in {@code table}, looked for from {@code newest} back through the history
   * the table still keeps; empty when not found.
   */
  public Optional<Snapshot> commitIn(Table table, Snapshot newest) {
    for (Snapshot s = newest;
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (id.equals(s.summary().get(SUMMARY_KEY))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  public boolean isLastCommitIn(Table table) {
    return lastCommitIn(table).isPresent();
  }

  /** The newest snapshot a batch tagged (maintenance commits carry no tag and are passed over). */
  public static Optional<Snapshot> lastTagged(Table table) {
    for (Snapshot s = table.currentSnapshot();
        s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      if (s.summary().containsKey(SUMMARY_KEY)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The snapshot summary entries that tag a commit. */
  public Map<String, String> properties() {
    return Map.of(SUMMARY_KEY, id, SPARK_BATCH_ID_KEY, Long.toString(sparkBatchId));
  }

  /** Runs {@code commit} with this batch's tag on every Iceberg commit Spark makes in it. */
  public <R> R tag(Callable<R> commit) {
    return CommitMetadata.withCommitProperties(properties(), commit, RuntimeException.class);
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Markers are equal when they name the same records: Spark's batch id is for people. */
  @Override
  public boolean equals(Object other) {
    return other instanceof BatchMarker marker && id.equals(marker.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return id + " (spark batch " + sparkBatchId + ")";
  }
}
