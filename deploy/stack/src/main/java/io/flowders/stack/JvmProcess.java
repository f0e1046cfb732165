package io.flowders.stack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A component running in a JVM of its own, so that its jars (Kafka 4, Spark, s3proxy) never meet
 * the caller's. Output goes to a log file that failures quote. A process bound to its parent (the
 * default) dies with it, however the parent dies: a shutdown hook stops it on a normal exit and
 * {@link ParentWatchdog} ends it when the parent was killed outright. ./flowders starts the
 * long-lived daemons with {@link Builder#outliveParent()}.
 */
public final class JvmProcess implements AutoCloseable {

  /** Time a component gets to shut down cleanly on SIGTERM before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /**
   * The shorter grace when the caller itself is going away (its JVM exits, an up is interrupted): a
   * user waiting on Ctrl-C should not wait for clean shutdowns.
   */
  public static final Duration ABORT_GRACE = Duration.ofSeconds(10);

  private static final Set<JvmProcess> BOUND = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(JvmProcess::stopBound, "flowders-stop-children"));
  }

  private final String name;
  private final Process process;
  private final Path logFile;
  private final long logStart;

  private JvmProcess(String name, Process process, Path logFile, long logStart) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.logStart = logStart;
  }

  public static Builder builder(String mainClass) {
    return new Builder(mainClass);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  /** Waits until the process exits; its exit code (128 + n when signal n ended it). */
  public int awaitExit() throws InterruptedException {
    return process.waitFor();
  }

  /** Where this run's output starts in {@link #logFile()} (appended to across restarts). */
  long logStart() {
    return logStart;
  }

  public Path logFile() {
    return logFile;
  }

  /** What this run wrote so far (the log file is appended to across restarts). */
  public String log() {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = Math.max(0, file.length() - logStart);
      byte[] bytes = new byte[(int) Math.min(length, Integer.MAX_VALUE)];
      file.seek(logStart);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public boolean logContains(String text) {
    return log().contains(text);
  }

  /**
   * Waits until {@code ready} holds; throws, quoting the end of the log, when the process exits
   * first or the deadline passes.
   */
  public JvmProcess awaitReady(String what, Duration timeout, BooleanSupplier ready) {
    Await.until(
        timeout,
        ready,
        () -> process.isAlive() ? null : "exited with code " + process.exitValue(),
        reason -> failure(what + ": " + reason));
    return this;
  }

  /** SIGTERM, then SIGKILL if it is still running after {@code grace}. */
  public void stop(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    BOUND.remove(this);
  }

  /** SIGKILL, waiting until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    BOUND.remove(this);
  }

  @Override
  public void close() {
    stop(STOP_GRACE);
  }

  IllegalStateException failure(String message) {
    return new IllegalStateException(
        name + " " + message + " (pid " + pid() + ", log " + logFile + ")\n" + LogTail.of(log()));
  }

  /** SIGTERM to all at once, so they shut down in parallel, then {@link #stop} each. */
  public static void stopAll(Collection<JvmProcess> processes, Duration grace) {
    processes.forEach(p -> p.process.destroy());
    processes.forEach(p -> p.stop(grace));
  }

  private static void stopBound() {
    stopAll(new ArrayList<>(BOUND), ABORT_GRACE);
  }

  /**
   * The jar or classes folder a class was loaded from: from its code source, or else from its
   * resource URL (class loaders such as Quarkus' may define classes without a code source).
   */
  static Optional<Path> codeLocation(Class<?> type) {
    try {
      CodeSource source = type.getProtectionDomain().getCodeSource();
      if (source != null
          && source.getLocation() != null
          && "file".equals(source.getLocation().getProtocol())) {
        return Optional.of(Path.of(source.getLocation().toURI()));
      }
      String resource = type.getName().replace('.', '/') + ".class";
      URL url = type.getClassLoader().getResource(resource);
      if (url == null) {
        return Optional.empty();
      }
      String spec = url.toString();
      if (spec.startsWith("jar:file:")) {
        return Optional.of(
            Path.of(URI.create(spec.substring("jar:".length(), spec.indexOf("!/")))));
      }
      if (spec.startsWith("file:")) {
        Path file = Path.of(url.toURI());
        return Optional.of(
            file.getRoot()
                .resolve(file.subpath(0, file.getNameCount() - resource.split("/").length)));
      }
      return Optional.empty();
    } catch (URISyntaxException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The outcome of a command-line tool run to completion. */
  public record Result(int exitCode, String stdout, String stderr) {

    /** This result, or an exception quoting its output when the exit code is not 0. */
    public Result orThrow(String what) {
      if (exitCode != 0) {
        throw new IllegalStateException(
            what + " failed with exit code " + exitCode + "\n" + stdout + stderr);
      }
      return this;
    }
  }

  public static final class Builder {

    private final String mainClass;
    private final List<String> classpath = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String name;
    private Path workDir;
    private Path logFile;
    private Path input;
    private boolean boundToParent = true;

    private Builder(String mainClass) {
      this.mainClass = mainClass;
      this.name = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder classpath(List<String> entries) {
      classpath.addAll(entries);
      return this;
    }

    public Builder classpath(String... entries) {
      return classpath(Arrays.asList(entries));
    }

    /** The maximum heap (-Xmx). */
    public Builder heap(String max) {
      return jvmArgs("-Xmx" + max);
    }

    public Builder jvmArgs(String... jvmArgs) {
      this.jvmArgs.addAll(Arrays.asList(jvmArgs));
      return this;
    }

    public Builder args(String... args) {
      return args(Arrays.asList(args));
    }

    public Builder args(List<String> args) {
      this.args.addAll(args);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** The process's working folder, created when it starts if missing. */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /** Where stdout and stderr go (appended); a temporary file by default. */
    public Builder logFile(Path logFile) {
      this.logFile = logFile;
      return this;
    }

    /** A file fed to the process' stdin (console producers). */
    public Builder input(Path input) {
      this.input = input;
      return this;
    }

    /** Let the process run on after this JVM exits: for ./flowders up, never for tests. */
    public Builder outliveParent() {
      return boundToParent(false);
    }

    public Builder boundToParent(boolean boundToParent) {
      this.boundToParent = boundToParent;
      return this;
    }

    public JvmProcess start() {
      try {
        Path log = logFile != null ? logFile : Files.createTempFile("flowders-" + name, ".log");
        Folders.create(log.toAbsolutePath().getParent());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder =
            processBuilder()
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        JvmProcess started = new JvmProcess(name, builder.start(), log, logStart);
        if (boundToParent) {
          BOUND.add(started);
        }
        return started;
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start " + name, e);
      }
    }

    /**
     * Runs an interactive tool (a shell, a console consumer) on this JVM's own terminal until it
     * exits, and returns its exit code.
     */
    public int runInForeground() {
      try {
        return processBuilder().inheritIO().start().waitFor();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot run " + name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while running " + name, e);
      }
    }

    /**
     * Runs a command-line tool to completion (killed after {@code timeout}), capturing its output.
     */
    public Result run(Duration timeout) {
      Path out = null;
      Path err = null;
      try {
        out = Files.createTempFile("flowders-" + name, ".out");
        err = Files.createTempFile("flowders-" + name, ".err");
        Process process =
            processBuilder().redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor();
          throw new IllegalStateException(
              name
                  + " did not finish within "
                  + timeout.toSeconds()
                  + " s\n"
                  + Files.readString(out)
                  + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot run " + name, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while running " + name, e);
      } finally {
        Folders.deleteQuietly(out);
        Folders.deleteQuietly(err);
      }
    }

    private ProcessBuilder processBuilder() {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmArgs);
      List<String> entries = new ArrayList<>(classpath);
      if (boundToParent) {
        entries.add(ownCodeLocation());
      }
      command.add("-cp");
      command.add(String.join(File.pathSeparator, entries));
      if (boundToParent) {
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
      }
      command.add(mainClass);
      command.addAll(args);
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      if (workDir != null) {
        builder.directory(Folders.create(workDir).toFile());
      }
      if (input != null) {
        builder.redirectInput(input.toFile());
      }
      return builder;
    }

    private static String ownCodeLocation() {
      return codeLocation(ParentWatchdog.class)
          .map(Path::toString)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "Cannot tell which jar or folder holds "
                          + ParentWatchdog.class.getName()
                          + "; use outliveParent()"));
    }
  }
}
