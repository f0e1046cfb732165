package io.flowders.orders;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Where the rate schedule reads elapsed time: monotonic nanoseconds, so a wall-clock jump cannot
 * move a step. Tests swap in one they move by hand.
 */
public interface Ticker {

  long nanoTime();

  /** {@link System#nanoTime()}. */
  @ApplicationScoped
  class SystemTicker implements Ticker {

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }
  }
}
