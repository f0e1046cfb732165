package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.Settings;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The streaming job's keeper under {@code ./flowders up}: a small JVM of its own, started by up and
 * outliving it, that starts the job and starts it again after {@link RestartBackoff} when it exits
 * non-zero (a failed batch, Kafka or S3 away for minutes, a kill). A job that exits 0 was stopped
 * on SIGTERM between batches on purpose: it stays stopped, and so does the supervisor.
 *
 * <p>SIGTERM ({@code ./flowders down}) stops the job with its grace, then the supervisor, which
 * never restarts a job once it is stopping. The job does not depend on the supervisor: killed
 * outright, the supervisor leaves a job that its pid file still names, which down stops and which
 * the next up's supervisor adopts. What it does goes to {@link SupervisorState} (for {@code
 * ./flowders status}) and one log line per event.
 */
public final class JobSupervisor {

  /**
   * Its JVM: it only waits on a process and writes a small file now and then (24 MiB of heap,
   * serial collector, C1).
   */
  static final String HEAP = "24m";

  static final List<String> JVM =
      List.of(
          "-Xmx" + HEAP,
          "-Xss256k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:ReservedCodeCacheSize=16m",
          "-Djava.awt.headless=true");

  /** What down allows the supervisor: the job's own stop grace, then a margin to exit itself. */
  public static final Duration STOP_GRACE = JvmProcess.STOP_GRACE.plusSeconds(15);

  /** How much of the end of a failed run's log is searched for its last ERROR line. */
  private static final int ERROR_SEARCH_BYTES = 256 * 1024;

  private static final int ERROR_LINE_CHARS = 300;
  private static final Pattern ERROR_LINE = Pattern.compile("\\bERROR\\b");
  private static final Pattern LOG_LINE = Pattern.compile("^\\d{2}:\\d{2}:\\d{2}\\b.*");
  private static final Map<Integer, String> SIGNALS =
      Map.of(
          1, "HUP", 2, "INT", 3, "QUIT", 6, "ABRT", 9, "KILL", 11, "SEGV", 13, "PIPE", 14, "ALRM",
          15, "TERM");

  private final StackLayout layout;
  private final Supplier<JvmProcess> jobStarter;
  private final RestartBackoff backoff;
  private final Clock clock;
  private final Path stateFile;
  private final Object lock = new Object();

  // guarded by lock
  private boolean stopping;
  private ProcessHandle job;
  private SupervisorState state;

  /** Supervises what {@code jobStarter} starts: the job ({@link #jobLauncher}), or a test's. */
  JobSupervisor(
      StackLayout layout, Supplier<JvmProcess> jobStarter, RestartBackoff backoff, Clock clock) {
    this.layout = layout;
    this.jobStarter = jobStarter;
    this.backoff = backoff;
    this.clock = clock;
    this.stateFile = layout.supervisorState();
  }

  public static void main(String[] args) {
    StackLayout layout = StackLayout.load();
    Settings settings = layout.config().settings();
    Clock clock = Clock.systemUTC();
    JobSupervisor supervisor =
        new JobSupervisor(
            layout,
            () -> jobLauncher(layout).start(),
            new RestartBackoff(
                settings.get(FlowdersSettings.JOB_RESTART_BACKOFF),
                settings.get(FlowdersSettings.JOB_RESTART_BACKOFF_MAX),
                clock),
            clock);
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::stop, "flowders-stop-job"));
    supervisor.run();
    System.exit(0);
  }

  /**
   * The supervisor's JVM, as up starts it: it outlives up (./flowders faults binds it to itself
   * instead).
   */
  public static JvmProcess.Builder launcher(StackLayout layout) {
    JvmProcess.Builder builder =
        JvmProcess.builder(JobSupervisor.class.getName())
            .name(StackLayout.JOB_SUPERVISOR)
            .classpath(codeLocation(JobSupervisor.class), codeLocation(FlowdersSettings.class))
            .jvmArgs(JVM.toArray(String[]::new))
            .logFile(layout.component(StackLayout.JOB_SUPERVISOR).log())
            // In the state folder: down's sweep of leftover processes finds it there.
            .workDir(layout.state().resolve(StackLayout.JOB_SUPERVISOR))
            .outliveParent();
    layout.config().asMap().forEach(builder::env);
    return builder.env(FlowdersHome.ENV, layout.home().toString());
  }

  /** The job's JVM: a Spark driver on the stack's cluster, independent of whoever starts it. */
  static JvmProcess.Builder jobLauncher(StackLayout layout) {
    return SparkDriver.builder(
            layout, SparkDriver.JOB_MAIN, layout.config().sparkMaster(), LocalStack.DRIVER_HEAP)
        .name(StackLayout.JOB)
        .logFile(layout.component(StackLayout.JOB).log())
        .workDir(layout.state().resolve(StackLayout.JOB))
        .outliveParent();
  }

  /**
   * Supervises until the job exits 0 or the supervisor is told to stop: adopts the job its pid file
   * names if it runs, else starts one.
   */
  void run() {
    long self = ProcessHandle.current().pid();
    SupervisorState previous =
        SupervisorState.read(stateFile)
            .orElse(
                new SupervisorState(self, SupervisorState.RUNNING, 0, 0, null, null, null, null));
    synchronized (lock) {
      state =
          new SupervisorState(
              self,
              SupervisorState.RUNNING,
              previous.jobPid(),
              previous.restarts(),
              previous.lastExit(),
              previous.lastExitAt(),
              previous.lastError(),
              null);
    }
    Optional<ProcessHandle> running = Processes.fromPidFile(layout.pidFile(StackLayout.JOB));
    while (true) {
      Run run;
      synchronized (lock) {
        if (stopping) {
          return;
        }
        try {
          run =
              running.isPresent() ? Run.adopt(running.get(), layout) : Run.start(jobStarter.get());
        } catch (RuntimeException e) {
          // The jars being rebuilt, a full disk: worth another try, like a failed run.
          run = null;
          state = state.exited("did not start: " + e.getMessage(), clock.instant(), null);
        }
        job = run == null ? null : run.handle();
      }
      running = Optional.empty();
      backoff.started();
      Instant ended;
      if (run != null) {
        OptionalInt code = supervise(run);
        if (code.isPresent() && code.getAsInt() == 0 || isStopping()) {
          return;
        }
        ended = state().lastExitAt();
      } else {
        ended = clock.instant();
        log("the job " + state().lastExit());
      }
      Duration wait = backoff.failed();
      if (!report(s -> s.restarting(ended.plus(wait)))) {
        return;
      }
      log("restart " + state().restarts() + " of the job in " + wait.toSeconds() + " s");
      awaitUnlessStopping(ended.plus(wait));
    }
  }

  /**
   * Waits until the run's job exits and reports why; its exit code (none when adopted). A job that
   * exits 0 leaves the supervisor stopped.
   */
  private OptionalInt supervise(Run run) {
    long pid = run.handle().pid();
    if (!run.adopted()) {
      Processes.writePidFile(layout.pidFile(StackLayout.JOB), pid);
    }
    report(s -> s.running(pid));
    log((run.adopted() ? "adopted the running job, pid " : "started the job, pid ") + pid);

    OptionalInt code = run.awaitExit();
    Instant exited = clock.instant();
    String reason =
        code.isPresent()
            ? exitReason(code.getAsInt())
            : "exited (exit code unknown: an earlier supervisor started it)";
    String error = lastError(run.log(), run.logStart()).orElse(null);
    if (!report(s -> s.exited(reason, exited, error))) {
      return code;
    }
    log("the job (pid " + pid + ") " + reason + (error == null ? "" : "; last error: " + error));
    if (code.isPresent() && code.getAsInt() == 0) {
      report(s -> s.withState(SupervisorState.STOPPED, null));
      log("it stopped on purpose: not restarting it");
    }
    return code;
  }

  /**
   * On SIGTERM: no more restarts; the job gets its SIGTERM and its grace, then the supervisor
   * exits.
   */
  void stop() {
    ProcessHandle current;
    synchronized (lock) {
      stopping = true;
      current = job;
      lock.notifyAll();
    }
    if (current != null && current.isAlive()) {
      log("stopping the job, pid " + current.pid());
      Processes.stop(List.of(current), JvmProcess.STOP_GRACE);
    }
    synchronized (lock) {
      if (state != null) {
        state = state.withState(SupervisorState.STOPPED, null);
        writeState();
      }
    }
  }

  /** Applies the change and writes the state, unless the supervisor is stopping (then false). */
  private boolean report(UnaryOperator<SupervisorState> change) {
    synchronized (lock) {
      if (stopping) {
        return false;
      }
      state = change.apply(state);
      writeState();
      return true;
    }
  }

  /** A report that cannot be written (a full disk) must not end the supervision. */
  private void writeState() {
    try {
      state.write(stateFile);
    } catch (UncheckedIOException e) {
      log("cannot write " + stateFile + ": " + e.getMessage());
    }
  }

  private boolean isStopping() {
    synchronized (lock) {
      return stopping;
    }
  }

  private SupervisorState state() {
    synchronized (lock) {
      return state;
    }
  }

  private void awaitUnlessStopping(Instant until) {
    synchronized (lock) {
      long millis;
      while (!stopping && (millis = Duration.between(clock.instant(), until).toMillis()) > 0) {
        try {
          lock.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void log(String message) {
    System.out.println(clock.instant() + " " + message);
  }

  /** "exit 1", or "killed by SIGKILL (exit 137)" for 128 + a signal's number. */
  static String exitReason(int code) {
    int signal = code - 128;
    if (signal > 0 && signal < 32) {
      return "killed by SIG"
          + SIGNALS.getOrDefault(signal, Integer.toString(signal))
          + " (exit "
          + code
          + ")";
    }
    return "exit " + code;
  }

  /**
   * The last ERROR line a run logged (from {@code from} on, in its last 256 KiB), with the line
   * after it when that is an exception's header, as one printable line.
   */
  static Optional<String> lastError(Path log, long from) {
    String text;
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(from, file.length() - ERROR_SEARCH_BYTES);
      byte[] bytes = new byte[(int) Math.max(0, file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      text = new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    List<String> lines = text.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (ERROR_LINE.matcher(lines.get(i)).find()) {
        String line = lines.get(i).strip();
        if (i + 1 < lines.size()) {
          String next = lines.get(i + 1);
          if (!next.isBlank()
              && !Character.isWhitespace(next.charAt(0))
              && !LOG_LINE.matcher(next).matches()) {
            line += " | " + next.strip();
          }
        }
        return Optional.of(printable(line, ERROR_LINE_CHARS));
      }
    }
    return Optional.empty();
  }

  /**
   * One printable line: control, format, separator and lone surrogate characters escaped ({@code
   * \n}, {@code \}{@code u001B}), so a log line cannot move the cursor or forge a line of status;
   * cut at {@code max} characters.
   */
  static String printable(String text, int max) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length() && out.length() < max) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          int type = Character.getType(c);
          boolean hidden =
              type == Character.CONTROL
                  || type == Character.FORMAT
                  || type == Character.LINE_SEPARATOR
                  || type == Character.PARAGRAPH_SEPARATOR
                  || type == Character.SURROGATE
                  || type == Character.UNASSIGNED;
          if (hidden) {
            out.append(String.format("\\u%04X", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    }
    return i < text.length() ? out + "..." : out.toString();
  }

  private static String codeLocation(Class<?> type) {
    return JvmProcess.codeLocation(type)
        .map(Path::toString)
        .orElseThrow(
            () -> new IllegalStateException("Cannot tell where " + type + " was loaded from"));
  }

  /** One run of the job: started here (its exit code known), or adopted (only its end known). */
  private record Run(ProcessHandle handle, JvmProcess process, Path log, long logStart) {

    static Run start(JvmProcess process) {
      return new Run(process.handle(), process, process.logFile(), process.logStart());
    }

    /** Its ERROR lines are looked for in what it logs from now on. */
    static Run adopt(ProcessHandle running, StackLayout layout) {
      Path log = layout.component(StackLayout.JOB).log();
      return new Run(running, null, log, log.toFile().length());
    }

    boolean adopted() {
      return process == null;
    }

    OptionalInt awaitExit() {
      if (process != null) {
        try {
          return OptionalInt.of(process.awaitExit());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return OptionalInt.empty();
        }
      }
      handle.onExit().join();
      return OptionalInt.empty();
    }
  }
}
