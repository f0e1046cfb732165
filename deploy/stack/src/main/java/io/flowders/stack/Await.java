package io.flowders.stack;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/** Waiting on a condition with a deadline: components take 2-30 s to start on a busy machine. */
public final class Await {

  private static final long POLL_MILLIS = 200;

  private Await() {}

  /**
   * Polls {@code condition} until it holds; {@code failure} turns the reason it did not (timeout,
   * or what {@code abort} reported) into the exception to throw.
   */
  public static void until(
      Duration timeout,
      BooleanSupplier condition,
      Supplier<String> abort,
      Function<String, RuntimeException> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      String aborted = abort.get();
      if (aborted != null) {
        throw failure.apply(aborted);
      }
      if (System.nanoTime() - deadline > 0) {
        throw failure.apply("not done within " + timeout.toSeconds() + " s");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failure.apply("interrupted");
      }
    }
  }

  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(
        timeout, condition, () -> null, reason -> new IllegalStateException(what + ": " + reason));
  }
}
