package io.flowders.orders;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Unique 64-bit order ids without coordination, Snowflake style: {@code 0 | 41 bits milliseconds
 * since 2025-01-01Z | 12 bits instance | 10 bits sequence}.
 *
 * <p>Across restarts ids keep growing because the time part does; within one millisecond the
 * sequence counts up to 1024 and then borrows the next millisecond, so bursts never repeat an id (a
 * restart stays safe as long as the producer did not run more than 1024 orders/ms ahead of the wall
 * clock, i.e. sustained over 1M orders/s). Several producers differ by their instance bits: set
 * {@code orders.instance-id} (0..4095) per instance to make that certain; by default each instance
 * draws one at random. Positive until 2094.
 */
final class OrderIds {

  static final int SEQUENCE_BITS = 10;
  static final int INSTANCE_BITS = 12;
  static final int MAX_INSTANCE = (1 << INSTANCE_BITS) - 1;
  static final long EPOCH_MILLIS = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();

  private static final long SEQUENCE_MASK = (1L << SEQUENCE_BITS) - 1;

  private final long instanceBits;
  private final LongSupplier clockMillis;

  /**
   * Last issued (milliseconds since the epoch, sequence), packed as {@code millis << SEQUENCE_BITS
   * | sequence}.
   */
  private final AtomicLong last = new AtomicLong();

  OrderIds(int instance, LongSupplier clockMillis) {
    if (instance < 0 || instance > MAX_INSTANCE) {
      throw new IllegalArgumentException(
          "instance id must be in 0.." + MAX_INSTANCE + ": " + instance);
    }
    this.instanceBits = (long) instance << SEQUENCE_BITS;
    this.clockMillis = clockMillis;
  }

  OrderIds(int instance) {
    this(instance, System::currentTimeMillis);
  }

  static int randomInstance() {
    return new SecureRandom().nextInt(MAX_INSTANCE + 1);
  }

  long next() {
    long now = (clockMillis.getAsLong() - EPOCH_MILLIS) << SEQUENCE_BITS;
    long previous;
    long next;
    do {
      previous = last.get();
      next = Math.max(previous + 1, now);
    } while (!last.compareAndSet(previous, next));
    return ((next >>> SEQUENCE_BITS) << (INSTANCE_BITS + SEQUENCE_BITS))
        | instanceBits
        | (next & SEQUENCE_MASK);
  }
}
