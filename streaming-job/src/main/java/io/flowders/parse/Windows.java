package io.flowders.parse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Tumbling 1-minute event-time windows in UTC: [start, start + 1 minute). */
public final class Windows {

  public static final Duration LENGTH = Duration.ofMinutes(1);

  private Windows() {}

  public static Instant start(Instant eventTime) {
    return eventTime.truncatedTo(ChronoUnit.MINUTES);
  }

  public static Instant end(Instant windowStart) {
    return windowStart.plus(LENGTH);
  }
}
