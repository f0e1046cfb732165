package io.flowders.stack;

import io.flowders.stack.StackLayout.Component;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * {@code ./flowders down [--purge]}: stops every process of the stack, clients first, and returns
 * once their ports are free; {@code --purge} also deletes the state and the warehouse's data.
 */
final class StackDown {

  private final LocalStack stack;
  private final StackLayout layout;
  private final PrintStream out;

  StackDown(LocalStack stack) {
    this.stack = stack;
    this.layout = stack.layout;
    this.out = stack.out;
  }

  public int run(boolean purge) {
    List<Component> components = layout.components();
    Map<Component, Optional<ProcessHandle>> running = stack.processes();
    // Clients first, Kafka last: the producer flushes and the job finishes its batch while the
    // brokers are still up. The job's supervisor stops the job (with its grace) and then itself,
    // never restarting it: the job gets one SIGTERM, as a second one ends it at once, mid-batch.
    Optional<ProcessHandle> job = running.get(stack.component(StackLayout.JOB));
    stopGroup(
        running,
        c -> c.name().equals(StackLayout.PRODUCER) || c.name().equals(StackLayout.JOB_SUPERVISOR),
        JobSupervisor.STOP_GRACE);
    job.filter(p -> !p.isAlive())
        .ifPresent(
            p ->
                out.printf(
                    "stopped %-16s (pid %d) through its supervisor%n", StackLayout.JOB, p.pid()));
    stopGroup(running, c -> c.name().equals(StackLayout.JOB), JvmProcess.STOP_GRACE);
    stopGroup(
        running,
        c -> c.name().startsWith("spark-") || c.name().equals(StackLayout.S3),
        JvmProcess.STOP_GRACE);
    stopGroup(running, c -> c.name().startsWith("kafka-"), JvmProcess.STOP_GRACE);
    List<ProcessHandle> leftovers = Processes.javaProcessesUsing(layout.state());
    if (!leftovers.isEmpty()) {
      out.println(
          "stopping "
              + leftovers.size()
              + " more process(es) of this stack (pids "
              + Processes.pids(leftovers)
              + ")");
      Processes.stop(leftovers, JvmProcess.STOP_GRACE);
    }
    stack.deletePidFiles();
    Folders.deleteQuietly(layout.supervisorState());
    // Only the ports of what this stopped: another program may use a port while the stack is down.
    List<Component> stopped =
        leftovers.isEmpty()
            ? components.stream().filter(c -> running.get(c).isPresent()).toList()
            : components;
    List<String> busy = awaitPortsFree(stopped, Duration.ofSeconds(15));
    if (purge) {
      Folders.deleteRecursively(layout.state());
      purgeWarehouse();
      out.println("purged " + layout.state() + " and the data in " + layout.warehouse());
    }
    if (!busy.isEmpty()) {
      throw new StackException(
          "stopped, but ports are still taken:\n  " + String.join("\n  ", busy));
    }
    out.println(
        running.values().stream().anyMatch(Optional::isPresent) || !leftovers.isEmpty()
            ? "flowders stopped; all its ports are free."
            : "flowders was not running.");
    return 0;
  }

  private void stopGroup(
      Map<Component, Optional<ProcessHandle>> running, Predicate<Component> which, Duration grace) {
    Map<Component, ProcessHandle> group = new LinkedHashMap<>();
    running.forEach(
        (c, p) ->
            p.filter(ProcessHandle::isAlive)
                .filter(x -> which.test(c))
                .ifPresent(h -> group.put(c, h)));
    if (group.isEmpty()) {
      return;
    }
    long t0 = System.nanoTime();
    Processes.stop(group.values(), grace);
    group.forEach((c, p) -> out.printf("stopped %-16s (pid %d)%n", c.name(), p.pid()));
    out.printf("          in %.0f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private List<String> awaitPortsFree(List<Component> stopped, Duration timeout) {
    List<String> busy = new ArrayList<>();
    BooleanSupplier allFree =
        () -> {
          busy.clear();
          stopped.forEach(
              c ->
                  c.ports().stream()
                      .filter(p -> !Ports.isFree(p))
                      .forEach(
                          p ->
                              busy.add(
                                  "port "
                                      + p
                                      + " ("
                                      + c.name()
                                      + "): "
                                      + Processes.listener(p).orElse("?"))));
          return busy.isEmpty();
        };
    try {
      Await.until("ports free", timeout, allFree);
    } catch (IllegalStateException e) {
      // reported by the caller
    }
    return busy;
  }

  private void purgeWarehouse() {
    Path readme = layout.warehouse().resolve("README.md");
    if (!Files.isDirectory(layout.warehouse())) {
      return;
    }
    try (Stream<Path> entries = Files.list(layout.warehouse())) {
      entries.filter(p -> !p.equals(readme)).forEach(Folders::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
