package io.flowders.stack;

import io.flowders.stack.StackLayout.Component;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./flowders status}: each component, running or not, with its pid, memory and URL; what the
 * job and the producer do ({@link JobStatus}); then the job's restarts and why it last ended, as
 * its supervisor reports them; exit code 0 only when all run.
 */
final class StackStatus {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private final LocalStack stack;
  private final PrintStream out;
  private final Clock clock;

  StackStatus(LocalStack stack) {
    this(stack, Clock.systemUTC());
  }

  StackStatus(LocalStack stack, Clock clock) {
    this.stack = stack;
    this.out = stack.out;
    this.clock = clock;
  }

  public int run() {
    Map<Component, Optional<ProcessHandle>> running = stack.processes();
    Optional<SupervisorState> supervision = SupervisorState.read(stack.layout.supervisorState());
    Set<Long> componentPids = new HashSet<>();
    running.values().forEach(p -> p.ifPresent(h -> componentPids.add(h.pid())));
    out.printf("%-16s %-8s %-8s %10s  %s%n", "COMPONENT", "STATE", "PID", "RSS", "URL");
    for (Map.Entry<Component, Optional<ProcessHandle>> e : running.entrySet()) {
      Optional<ProcessHandle> p = e.getValue();
      Component c = e.getKey();
      out.printf(
          "%-16s %-8s %-8s %10s  %s%n",
          c.name(),
          p.isPresent() ? "running" : "stopped",
          p.map(h -> Long.toString(h.pid())).orElse("-"),
          p.map(h -> Processes.mib(ownRss(h, componentPids))).orElse("-"),
          c.name().equals(StackLayout.JOB_SUPERVISOR)
              ? supervision.filter(s -> p.isPresent()).map(this::doing).orElse(c.url())
              : c.url());
    }
    List<ProcessHandle> alive = running.values().stream().flatMap(Optional::stream).toList();
    if (!alive.isEmpty()) {
      out.println("total RSS (with executors): " + Processes.mib(Processes.totalRss(alive)));
    }
    printWork(running);
    supervision.ifPresent(this::printRestarts);
    return alive.size() == running.size() ? 0 : 3;
  }

  /** What the job and the producer do: their own figures, where they run. */
  private void printWork(Map<Component, Optional<ProcessHandle>> running) {
    out.println();
    out.printf(
        "%-9s %s%n",
        StackLayout.JOB,
        isRunning(running, StackLayout.JOB)
            ? JobStatus.job(stack.layout.jobMetricsUrl(), clock.instant(), TIME)
            : "stopped");
    String producer;
    if (!isRunning(running, StackLayout.PRODUCER)) {
      producer = "stopped";
    } else {
      try {
        producer = JobStatus.producer(Producer.of(stack.layout).stats());
      } catch (RuntimeException e) {
        producer = "no stats from " + stack.layout.producerUrl() + "/orders/stats: starting?";
      }
    }
    out.printf("%-9s %s%n", StackLayout.PRODUCER, producer);
  }

  private static boolean isRunning(Map<Component, Optional<ProcessHandle>> running, String name) {
    return running.entrySet().stream()
        .anyMatch(e -> e.getKey().name().equals(name) && e.getValue().isPresent());
  }

  /**
   * RSS of a component's process and its children but those that are components of their own (a
   * worker's executors count, the supervisor's job does not).
   */
  private static long ownRss(ProcessHandle process, Set<Long> componentPids) {
    return Processes.rss(process.pid())
        + process
            .descendants()
            .filter(d -> !componentPids.contains(d.pid()))
            .mapToLong(d -> Processes.rss(d.pid()))
            .sum();
  }

  /** What a running supervisor does now: "watching job pid 123", "restarting the job in 20 s". */
  private String doing(SupervisorState state) {
    if (state.state().equals(SupervisorState.RESTARTING) && state.restartAt() != null) {
      long seconds = Math.max(0, Duration.between(clock.instant(), state.restartAt()).toSeconds());
      return "restarting the job in " + seconds + " s";
    }
    return state.state().equals(SupervisorState.RUNNING)
        ? "watching the job (pid " + state.jobPid() + ")"
        : state.state();
  }

  private void printRestarts(SupervisorState state) {
    out.println();
    out.println(
        "job restarts: "
            + state.restarts()
            + (state.lastExit() == null
                ? ""
                : "; last exit "
                    + (state.lastExitAt() == null ? "" : TIME.format(state.lastExitAt()) + ": ")
                    + JobSupervisor.printable(state.lastExit(), 80)));
    if (state.lastError() != null) {
      out.println("  its last ERROR: " + JobSupervisor.printable(state.lastError(), 300));
    }
  }
}
