package io.flowders.sink;

import java.time.Duration;

/**
 * What one micro-batch did. {@code records = accepted + duplicates + rejected}; {@code late}
 * counts accepted orders older than the watermark (counted all the same, their windows reopened).
 */
public record BatchReport(
    long batchId,
    long records,
    long accepted,
    long duplicates,
    long rejected,
    long late,
    long windowsUpdated,
    Duration took) {

  @Override
  public String toString() {
    return String.format("batch %d: %d records, %d new orders, %d duplicates, %d rejected, %d late;"
            + " %d window rows updated in %.1f s",
        batchId, records, accepted, duplicates, rejected, late, windowsUpdated,
        took.toMillis() / 1000.0);
  }
}
