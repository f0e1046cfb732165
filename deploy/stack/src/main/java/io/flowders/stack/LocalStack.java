package io.flowders.stack;

import io.flowders.settings.MemorySize;
import io.flowders.stack.StackLayout.Component;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The stack of {@code ./flowders up / down / status / logs} ({@link StackUp}, {@link StackDown},
 * {@link StackStatus}, {@link StackLogs}): daemons that outlive the command, found again through
 * pid files under {@code .flowders/pids}. This holds what the commands share: the layout and
 * settings, where they print, the heaps of the stack's JVMs and which component runs.
 */
public final class LocalStack {

  /**
   * Heaps: the whole stack stays near 4-5 GiB resident (executors take
   * FLOWDERS_SPARK_EXECUTOR_MEMORY each).
   */
  static final String KAFKA_HEAP = "512m";

  static final String S3_HEAP = "256m";
  static final String SPARK_DAEMON_HEAP = "256m";
  public static final String DRIVER_HEAP = "1g";
  static final String PRODUCER_HEAP = "256m";

  /**
   * C1 only for short-lived Spark processes (sql, verify): they are done before C2 would pay off.
   * The streaming job keeps the JVM's default (C2): at 10 000 orders/s its read and parse step took
   * 1.1-1.8 s per 100k orders instead of 2-3 s with C1.
   */
  static final String SHORT_LIVED_JIT = "-XX:TieredStopAtLevel=1";

  final StackLayout layout;
  final StackConfig config;
  final PrintStream out;

  public LocalStack(StackLayout layout, PrintStream out) {
    this.layout = layout;
    this.config = layout.config();
    this.out = out;
  }

  /** Each component and its process, if it runs. */
  public Map<Component, Optional<ProcessHandle>> processes() {
    Map<Component, Optional<ProcessHandle>> all = new LinkedHashMap<>();
    layout.components().forEach(c -> all.put(c, Processes.fromPidFile(layout.pidFile(c.name()))));
    return all;
  }

  /** The component of that name. */
  Component component(String name) {
    return layout.component(name);
  }

  void deletePidFiles() {
    layout.components().forEach(c -> Folders.deleteQuietly(layout.pidFile(c.name())));
  }

  /** The heaps of every JVM of the stack, the most it can take. */
  long budget() {
    long executors = config.sparkExecutors() * config.sparkExecutorMemoryBytes();
    return 3 * bytes(KAFKA_HEAP)
        + bytes(S3_HEAP)
        + (1 + config.sparkWorkerUiPorts().size()) * bytes(SPARK_DAEMON_HEAP)
        + bytes(DRIVER_HEAP)
        + bytes(JobSupervisor.HEAP)
        + bytes(PRODUCER_HEAP)
        + executors;
  }

  static long bytes(String size) {
    return MemorySize.parse(size).bytes();
  }

  static String names(Map<Component, Optional<ProcessHandle>> running, boolean alive) {
    return String.join(
        ", ",
        running.entrySet().stream()
            .filter(e -> e.getValue().isPresent() == alive)
            .map(e -> e.getKey().name())
            .toList());
  }
}
