package io.flowders.stack;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One started component per JVM, for the integration tests of every module: started on first use,
 * stopped when the JVM exits, and a failed start reported again to each later caller instead of
 * being retried.
 */
final class SharedInstance<T extends AutoCloseable> {

  private final String what;
  private final Supplier<T> build;
  private final Consumer<T> start;
  private T instance;
  private RuntimeException failure;

  /**
   * @param what the component, for messages
   * @param build makes the instance (on free ports)
   * @param start starts it and prepares what the tests expect (topic, bucket)
   */
  SharedInstance(String what, Supplier<T> build, Consumer<T> start) {
    this.what = what;
    this.build = build;
    this.start = start;
  }

  synchronized T get() {
    if (failure != null) {
      throw new IllegalStateException(
          "The shared " + what + " failed to start earlier in this JVM", failure);
    }
    if (instance == null) {
      T started = build.get();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> closeQuietly(started), "flowders-shared-" + what));
      try {
        start.accept(started);
      } catch (RuntimeException e) {
        closeQuietly(started);
        failure = e;
        throw e;
      }
      instance = started;
    }
    return instance;
  }

  private static void closeQuietly(AutoCloseable component) {
    try {
      component.close();
    } catch (Exception ignored) {
      // stopping at exit or after a failed start: nothing left to tell
    }
  }
}
