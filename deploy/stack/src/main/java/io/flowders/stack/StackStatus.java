package io.flowders.stack;

import io.flowders.stack.StackLayout.Component;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./flowders status}: each component, running or not, with its pid, memory and URL; exit
 * code 0 only when all run.
 */
final class StackStatus {

  private final LocalStack stack;
  private final PrintStream out;

  StackStatus(LocalStack stack) {
    this.stack = stack;
    this.out = stack.out;
  }

  public int run() {
    Map<Component, Optional<ProcessHandle>> running = stack.processes();
    out.printf("%-16s %-8s %-8s %10s  %s%n", "COMPONENT", "STATE", "PID", "RSS", "URL");
    for (Map.Entry<Component, Optional<ProcessHandle>> e : running.entrySet()) {
      Optional<ProcessHandle> p = e.getValue();
      out.printf(
          "%-16s %-8s %-8s %10s  %s%n",
          e.getKey().name(),
          p.isPresent() ? "running" : "stopped",
          p.map(h -> Long.toString(h.pid())).orElse("-"),
          p.map(h -> Processes.mib(Processes.totalRss(List.of(h)))).orElse("-"),
          e.getKey().url());
    }
    List<ProcessHandle> alive = running.values().stream().flatMap(Optional::stream).toList();
    if (!alive.isEmpty()) {
      out.println("total RSS (with executors): " + Processes.mib(Processes.totalRss(alive)));
    }
    return alive.size() == running.size() ? 0 : 3;
  }
}
