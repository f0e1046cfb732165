package io.flowders.sink;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock time of a batch's steps, for its {@link BatchReport}: where a slow trigger spends it.
 */
final class StepTimer {

  private final long started = System.nanoTime();
  private final Map<String, Duration> laps = new LinkedHashMap<>();
  private long last = started;

  void lap(String step) {
    long now = System.nanoTime();
    laps.put(step, Duration.ofNanos(now - last));
    last = now;
  }

  Duration total() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  Map<String, Duration> laps() {
    return laps;
  }
}
