package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OrderIdsTest {

  private static final int MILLION = 1_000_000;

  @Test
  void millionIdsInABurstAreUniqueAndIncreasing() {
    OrderIds ids = new OrderIds(OrderIds.randomInstance());
    Set<Long> seen = new HashSet<>(2 * MILLION);
    long previous = 0;

    for (int i = 0; i < MILLION; i++) {
      long id = ids.next();
      assertTrue(id > previous, "not increasing at " + i);
      seen.add(id);
      previous = id;
    }

    assertEquals(MILLION, seen.size());
  }

  @Test
  void instancesNeverCollideEvenOnTheSameMillisecond() {
    long frozen = System.currentTimeMillis();
    OrderIds first = new OrderIds(1, () -> frozen);
    OrderIds second = new OrderIds(2, () -> frozen);
    Set<Long> seen = new HashSet<>(2 * MILLION);

    for (int i = 0; i < MILLION / 2; i++) {
      seen.add(first.next());
      seen.add(second.next());
    }

    assertEquals(MILLION, seen.size());
  }

  @Test
  void restartContinuesAboveEveryIdOfThePreviousRun() {
    long start = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
    AtomicLong calls = new AtomicLong();
    OrderIds before = new OrderIds(42, () -> start + calls.getAndIncrement() / 100);
    long last = 0;
    for (int i = 0; i < MILLION; i++) {
      last = before.next();
    }

    OrderIds after = new OrderIds(42, () -> start + MILLION / 100 + 1);

    assertTrue(after.next() > last);
  }

  @Test
  void idsArePositiveUntil2094() {
    OrderIds ids =
        new OrderIds(
            OrderIds.MAX_INSTANCE, () -> Instant.parse("2094-01-01T00:00:00Z").toEpochMilli());

    assertTrue(ids.next() > 0);
  }

  @Test
  void rejectsInstanceIdsOutsideTwelveBits() {
    assertThrows(IllegalArgumentException.class, () -> new OrderIds(4096));
    assertThrows(IllegalArgumentException.class, () -> new OrderIds(-1));
  }
}
