package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StatsLogTest {

  @Test
  void oneCompactLineWithTheRateAndTheCounts() {
    assertEquals(
        "stats rate=2000/s sent=120000 acknowledged=119790 failed=10 unacked=200",
        StatsLog.line(new OrderStats.Snapshot(120_000, 119_790, 10, 2000, 200)));
    assertEquals(
        "stats rate=0.5/s sent=3 acknowledged=3 failed=0 unacked=0",
        StatsLog.line(new OrderStats.Snapshot(3, 3, 0, 0.5, 0)));
    assertEquals(
        "stats rate=0/s sent=0 acknowledged=0 failed=0 unacked=0",
        StatsLog.line(new OrderStats.Snapshot(0, 0, 0, 0, 0)));
    assertEquals(
        "stats rate=max sent=9 acknowledged=1 failed=0 unacked=8",
        StatsLog.line(new OrderStats.Snapshot(9, 1, 0, OrderProducer.MAX_RATE, 8)));
  }
}
