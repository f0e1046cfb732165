package io.flowders.stack;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the job's supervisor restarts a job that failed: after {@code initial}, doubling with each
 * failure up to {@code max}, so that a job failing at start (Kafka or S3 away for minutes) neither
 * spins nor waits long once they are back; a run of {@link #HEALTHY} or more starts the count over.
 */
final class RestartBackoff {

  /** A run this long was a healthy one: its failure is met with the initial wait again. */
  static final Duration HEALTHY = Duration.ofMinutes(10);

  private final Duration initial;
  private final Duration max;
  private final Clock clock;
  private Duration next;
  private Instant started;

  RestartBackoff(Duration initial, Duration max, Clock clock) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "the restart backoff needs 0 < initial <= max, not " + initial + " and " + max);
    }
    this.initial = initial;
    this.max = max;
    this.clock = clock;
    this.next = initial;
    this.started = clock.instant();
  }

  /** The job (re)started now. */
  void started() {
    started = clock.instant();
  }

  /** The job failed now: how long to wait before starting it again. */
  Duration failed() {
    if (Duration.between(started, clock.instant()).compareTo(HEALTHY) >= 0) {
      next = initial;
    }
    Duration wait = next;
    next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
    return wait;
  }
}
