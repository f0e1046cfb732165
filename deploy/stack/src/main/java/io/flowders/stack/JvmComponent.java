package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A component of the stack made of child JVMs (Kafka's nodes, the S3 server, Spark's master and
 * workers): a work folder that holds its config, data and logs (a temporary one, deleted on close,
 * unless the caller gives one), a start that returns once the component is ready or stops what it
 * launched, and a stop of every process.
 *
 * @param <T> the component itself, which {@link #start()} returns
 */
public abstract class JvmComponent<T extends JvmComponent<T>> implements AutoCloseable {

  private final Path workDir;
  private final boolean ownsWorkDir;
  private final boolean boundToParent;
  private final Set<String> only;
  private final Map<String, JvmProcess> processes = new LinkedHashMap<>();

  /** A component in {@code builder}'s folder, or in a temporary one named after {@code prefix}. */
  protected JvmComponent(Builder<?> builder, String prefix) {
    this.ownsWorkDir = builder.workDir == null;
    this.workDir = ownsWorkDir ? Folders.temporary(prefix) : builder.workDir.toAbsolutePath();
    this.boundToParent = builder.boundToParent;
    this.only = builder.only;
  }

  /** Launches the processes and returns once the component serves; stops them if it cannot. */
  public final T start() {
    if (processes().stream().anyMatch(JvmProcess::isAlive)) {
      throw new IllegalStateException(description() + " is already started");
    }
    try {
      // Owner-only even when an older version made it: component configs hold secrets.
      Folders.createPrivate(workDir);
      launch();
      @SuppressWarnings("unchecked")
      T self = (T) this;
      return self;
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** What and where, e.g. "S3 server on http://127.0.0.1:9000". */
  protected abstract String description();

  /** Starts every process with {@link #startProcess} and waits until they are ready. */
  protected abstract void launch() throws IOException;

  /** Starts a process of this component (bound to this JVM or not, as the component is). */
  protected final JvmProcess startProcess(JvmProcess.Builder builder) {
    JvmProcess process = builder.boundToParent(boundToParent).start();
    synchronized (processes) {
      processes.put(process.name(), process);
    }
    return process;
  }

  /** Whether {@link #start()} launches the process of that name (see {@link Builder#only}). */
  protected final boolean starts(String name) {
    return only == null || only.contains(name);
  }

  /** Each process this started, by name, with its pid. */
  public final Map<String, Long> pidsByName() {
    Map<String, Long> pids = new LinkedHashMap<>();
    processes().forEach(p -> pids.put(p.name(), p.pid()));
    return pids;
  }

  /** The running process of that name, if any. */
  protected final Optional<JvmProcess> process(String name) {
    synchronized (processes) {
      return Optional.ofNullable(processes.get(name));
    }
  }

  /** Forgets a process (to stop or kill it alone), if it was started. */
  protected final Optional<JvmProcess> remove(String name) {
    synchronized (processes) {
      return Optional.ofNullable(processes.remove(name));
    }
  }

  /** The processes, in start order. */
  protected final List<JvmProcess> processes() {
    synchronized (processes) {
      return new ArrayList<>(processes.values());
    }
  }

  /** Where the component keeps its config, data and logs. */
  public final Path workDir() {
    return workDir;
  }

  /** Whether the work folder is a temporary one, deleted on close. */
  protected final boolean ownsWorkDir() {
    return ownsWorkDir;
  }

  /** Stops every process, then deletes a temporary work folder. */
  @Override
  public void close() {
    List<JvmProcess> running;
    synchronized (processes) {
      running = new ArrayList<>(processes.values());
      processes.clear();
    }
    stop(running);
    if (ownsWorkDir) {
      Folders.deleteRecursively(workDir);
    }
  }

  /**
   * SIGTERM to all together, SIGKILL to those still running after {@link JvmProcess#STOP_GRACE}.
   */
  protected void stop(List<JvmProcess> running) {
    JvmProcess.stopAll(running, JvmProcess.STOP_GRACE);
  }

  /** What every component's builder sets: its folder, the heap of its JVMs and their lifetime. */
  public abstract static class Builder<B extends Builder<B>> {

    private Path workDir;
    protected String heap;
    private boolean boundToParent = true;
    private Set<String> only;

    protected Builder(String defaultHeap) {
      this.heap = defaultHeap;
    }

    /** The component's folder; a temporary one, deleted on close, when not set. */
    protected B folder(Path workDir) {
      this.workDir = workDir;
      return self();
    }

    /** Maximum heap of each of the component's JVMs. */
    public B heap(String heap) {
      this.heap = heap;
      return self();
    }

    /** The processes keep running after this JVM exits: for ./flowders up, never for tests. */
    public B outliveParent() {
      this.boundToParent = false;
      return self();
    }

    /**
     * Starts only the processes of these names (e.g. kafka-2, spark-worker-1): the others run
     * already, from an earlier start on the same folder. All of them when not set.
     */
    public B only(Collection<String> names) {
      this.only = Set.copyOf(names);
      return self();
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }
}
