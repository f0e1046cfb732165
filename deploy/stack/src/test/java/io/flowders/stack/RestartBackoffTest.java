package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

  private final SteppedClock clock = new SteppedClock();
  private final RestartBackoff backoff =
      new RestartBackoff(Duration.ofSeconds(5), Duration.ofMinutes(2), clock);

  @Test
  void eachFailureDoublesTheWaitUpToTheMaximum() {
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      backoff.started();
      clock.advance(Duration.ofSeconds(30));
      waits.add(backoff.failed().toSeconds());
    }

    assertThat(waits).containsExactly(5L, 10L, 20L, 40L, 80L, 120L, 120L, 120L);
  }

  @Test
  void aRunOfTenMinutesStartsTheCountOver() {
    for (int i = 0; i < 4; i++) {
      backoff.started();
      clock.advance(Duration.ofMinutes(1));
      backoff.failed();
    }
    backoff.started();
    clock.advance(RestartBackoff.HEALTHY.minusSeconds(1));
    assertThat(backoff.failed()).as("9 min 59 s: not healthy yet").hasSeconds(80);

    backoff.started();
    clock.advance(RestartBackoff.HEALTHY);
    assertThat(backoff.failed()).hasSeconds(5);
    backoff.started();
    assertThat(backoff.failed()).hasSeconds(10);
  }

  @Test
  void theBoundsMustMakeSense() {
    assertThatThrownBy(() -> new RestartBackoff(Duration.ZERO, Duration.ofMinutes(2), clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RestartBackoff(Duration.ofMinutes(3), Duration.ofMinutes(2), clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A clock that moves only when told to. */
  static final class SteppedClock extends Clock {

    private Instant now = Instant.parse("2026-12-01T05:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
