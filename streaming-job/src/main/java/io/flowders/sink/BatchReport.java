package io.flowders.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one micro-batch did. {@code records = accepted + duplicates + rejected}; {@code
 * rejectedByRule} splits {@code rejected} by the rule broken ({@link
 * io.flowders.parse.RejectRules}); {@code late} counts accepted orders older than the watermark
 * (counted all the same, their windows reopened). {@code kafka} is the batch's offset range per
 * partition; {@code newestEventTime} its latest order timestamp (null without an accepted order).
 * {@code steps} is where the time went (read: Kafka fetch and parse; rejects; orders; totals). The
 * commit times are when the ledger's and the totals' commits returned, on the driver's clock; null
 * where the batch committed nothing (empty, or already committed before a replay).
 */
public record BatchReport(
    long batchId,
    List<BatchMarker.PartitionRange> kafka,
    long records,
    long accepted,
    long duplicates,
    long rejected,
    Map<String, Long> rejectedByRule,
    long late,
    long windowsUpdated,
    Instant newestEventTime,
    Duration took,
    Map<String, Duration> steps,
    Instant ordersCommittedAt,
    Instant totalsCommittedAt) {

  /** The report as {@link ReportLog} writes it: a {@code batch} object, snake_case fields. */
  ObjectNode toJson() {
    ObjectNode json = ReportLog.report(ReportLog.BATCH);
    json.put("batch_id", batchId);
    json.put("records", records);
    json.put("accepted", accepted);
    json.put("duplicates", duplicates);
    json.put("rejected", rejected);
    ObjectNode byRule = json.putObject("rejected_by_rule");
    rejectedByRule.forEach(byRule::put);
    json.put("late", late);
    json.put("windows_updated", windowsUpdated);
    json.put("newest_event_time", text(newestEventTime));
    kafka.forEach(
        range ->
            json.withArray("kafka")
                .addObject()
                .put("topic", range.topic())
                .put("partition", range.partition())
                .put("first_offset", range.firstOffset())
                .put("last_offset", range.lastOffset())
                .put("records", range.records()));
    json.put("took_ms", took.toMillis());
    ObjectNode stepsMs = json.putObject("steps_ms");
    steps.forEach((step, duration) -> stepsMs.put(step, duration.toMillis()));
    json.put("orders_committed_at", text(ordersCommittedAt));
    json.put("totals_committed_at", text(totalsCommittedAt));
    return json;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
