package io.flowders.sink;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one micro-batch did. {@code records = accepted + duplicates + rejected}; {@code late} counts
 * accepted orders older than the watermark (counted all the same, their windows reopened). {@code
 * steps} is where the time went (read: Kafka fetch and parse; orders; totals; rejects).
 */
public record BatchReport(
    long batchId,
    long records,
    long accepted,
    long duplicates,
    long rejected,
    long late,
    long windowsUpdated,
    Duration took,
    Map<String, Duration> steps) {

  @Override
  public String toString() {
    return String.format(
        "batch %d: %d records, %d new orders, %d duplicates, %d rejected, %d late;"
            + " %d window rows updated in %s (%s)",
        batchId,
        records,
        accepted,
        duplicates,
        rejected,
        late,
        windowsUpdated,
        seconds(took),
        steps.entrySet().stream()
            .map(e -> e.getKey() + " " + seconds(e.getValue()))
            .collect(Collectors.joining(", ")));
  }

  private static String seconds(Duration duration) {
    return String.format("%.1f s", duration.toMillis() / 1000.0);
  }
}
