package io.flowders.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What ./flowders knows about processes it started from an earlier invocation: pid files (pid and
 * start time, so a recycled pid is not mistaken for a component), /proc for memory, ports and
 * leftovers. Linux only, like the stack.
 */
public final class Processes {

  private static final Path PROC = Path.of("/proc");
  private static final String LISTEN = "0A";

  private Processes() {}

  static void writePidFile(Path file, long pid) {
    String started =
        ProcessHandle.of(pid)
            .flatMap(p -> p.info().startInstant())
            .map(Instant::toString)
            .orElse("");
    Folders.write(file, pid + " " + started + "\n");
  }

  /** The live process a pid file names, if it is still the one that was started. */
  public static Optional<ProcessHandle> fromPidFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      String[] fields = Files.readString(file).strip().split("\\s+");
      Optional<ProcessHandle> handle =
          ProcessHandle.of(Long.parseLong(fields[0])).filter(ProcessHandle::isAlive);
      if (fields.length > 1 && handle.isPresent()) {
        String started =
            handle.get().info().startInstant().map(Instant::toString).orElse(fields[1]);
        return started.equals(fields[1]) ? handle : Optional.empty();
      }
      return handle;
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Resident memory in bytes (VmRSS), 0 when the process is gone. */
  public static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone meanwhile
    }
    return 0;
  }

  /** RSS of the processes and all their descendants (a worker's executors), each counted once. */
  static long totalRss(Collection<ProcessHandle> roots) {
    Set<Long> pids = new LinkedHashSet<>();
    for (ProcessHandle root : roots) {
      pids.add(root.pid());
      root.descendants().forEach(child -> pids.add(child.pid()));
    }
    return pids.stream().mapToLong(Processes::rss).sum();
  }

  /** MemAvailable of /proc/meminfo in bytes, or -1 when unknown. */
  static long memAvailable() {
    try {
      for (String line : Files.readAllLines(PROC.resolve("meminfo"))) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return -1;
  }

  /**
   * "pid 123: java … kafka.Kafka …/server.properties" for whoever listens on the port, if visible.
   */
  static Optional<String> listener(int port) {
    Set<String> inodes = new LinkedHashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try {
        for (String line : Files.readAllLines(PROC.resolve(table)).stream().skip(1).toList()) {
          String[] f = line.strip().split("\\s+");
          String local = f[1];
          if (f[3].equals(LISTEN)
              && Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) {
            inodes.add(f[9]);
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table
      }
    }
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (Stream<Path> procs = Files.list(PROC)) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        if (holdsSocket(proc, inodes)) {
          long pid = Long.parseLong(proc.getFileName().toString());
          return Optional.of("pid " + pid + ": " + describe(pid));
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return Optional.of("a process of another user (see: ss -ltnp 'sport = :" + port + "')");
  }

  private static boolean holdsSocket(Path proc, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")
              && inodes.contains(target.substring(8, target.length() - 1))) {
            return true;
          }
        } catch (IOException ignored) {
          // closed meanwhile
        }
      }
    } catch (IOException | SecurityException e) {
      // not ours to look at
    }
    return false;
  }

  /**
   * The command line, without JVM options and class path: "java kafka.Kafka …/server.properties".
   */
  static String describe(long pid) {
    List<String> args = commandLine(pid);
    if (args.isEmpty()) {
      return "?";
    }
    List<String> shown = new ArrayList<>();
    shown.add(Path.of(args.get(0)).getFileName().toString());
    for (int i = 1; i < args.size() && shown.size() < 4; i++) {
      String arg = args.get(i);
      if (arg.equals(ParentWatchdog.class.getName())) {
        i++;
      } else if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("-jar")) {
        if (arg.equals("-jar") && i + 1 < args.size()) {
          shown.add("-jar " + args.get(i + 1));
        }
        i++;
      } else if (!arg.startsWith("-")) {
        shown.add(arg);
      }
    }
    return String.join(" ", shown);
  }

  static List<String> commandLine(long pid) {
    try {
      String raw =
          new String(
              Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline")),
              StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * Java processes that belong to a stack in {@code dir} without a pid file saying so: they mention
   * the folder on their command line or run in it (executors, an interrupted start). Never this
   * process nor its ancestors.
   */
  static List<ProcessHandle> javaProcessesUsing(Path dir) {
    String prefix = dir.toAbsolutePath().normalize().toString();
    Set<Long> excluded = new LinkedHashSet<>();
    for (Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
        p.isPresent();
        p = p.get().parent()) {
      excluded.add(p.get().pid());
    }
    return ProcessHandle.allProcesses()
        .filter(p -> !excluded.contains(p.pid()))
        .filter(
            p -> {
              List<String> args = commandLine(p.pid());
              if (args.isEmpty() || !Path.of(args.get(0)).getFileName().toString().equals("java")) {
                return false;
              }
              return args.stream().anyMatch(arg -> arg.contains(prefix))
                  || cwd(p.pid()).startsWith(prefix);
            })
        .toList();
  }

  private static String cwd(long pid) {
    try {
      return Files.readSymbolicLink(PROC.resolve(Long.toString(pid)).resolve("cwd")).toString();
    } catch (IOException | SecurityException e) {
      return "";
    }
  }

  /**
   * SIGTERM to all at once, SIGKILL to whoever is still there after {@code grace}; returns once all
   * are gone.
   */
  static void stop(Collection<ProcessHandle> processes, Duration grace) {
    processes.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : processes) {
      try {
        p.onExit()
            .get(
                Math.max(0, deadline - System.nanoTime()),
                java.util.concurrent.TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        p.destroyForcibly();
        try {
          p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception ignored) {
          // reported by the caller's port check
        }
      }
    }
  }

  static String pids(Collection<ProcessHandle> processes) {
    return processes.stream().map(p -> Long.toString(p.pid())).collect(Collectors.joining(", "));
  }

  public static String mib(long bytes) {
    return bytes >= 1L << 30
        ? String.format("%.2f GiB", bytes / (double) (1L << 30))
        : (bytes >> 20) + " MiB";
  }
}
