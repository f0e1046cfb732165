package io.flowders.stack;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs a main class and ends the JVM when a given process (the one that launched it) is gone. A
 * shutdown hook cannot do that: a test JVM killed with SIGKILL runs none, and its brokers and
 * workers would live on, holding ports and CPU. Usage: {@code ParentWatchdog <pid> <main> args...}.
 */
public final class ParentWatchdog {

  private static final long POLL_MILLIS = 500;

  /** How long the JVM may spend in its shutdown hooks before it is halted. */
  private static final long EXIT_GRACE_MILLIS = 5_000;

  private static final int EXIT_PARENT_GONE = 143;

  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: ParentWatchdog <parent pid> <main class> [args...]");
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(Long.parseLong(args[0]));
    Thread watchdog = new Thread(() -> watch(parent), "flowders-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    Method main = Class.forName(args[1]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void watch(Optional<ProcessHandle> parent) {
    // ProcessHandle.isAlive compares start times, so a recycled pid does not pass for the parent.
    while (parent.map(ProcessHandle::isAlive).orElse(false)) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
    Thread halter =
        new Thread(
            () -> {
              try {
                Thread.sleep(EXIT_GRACE_MILLIS);
              } catch (InterruptedException ignored) {
                // halting now is fine too
              }
              Runtime.getRuntime().halt(EXIT_PARENT_GONE);
            },
            "flowders-parent-watchdog-halt");
    halter.setDaemon(true);
    halter.start();
    System.err.println(
        "flowders: parent process "
            + parent.map(ProcessHandle::pid).orElse(-1L)
            + " is gone, exiting");
    System.exit(EXIT_PARENT_GONE);
  }
}
