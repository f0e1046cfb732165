package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.StackLayout.Component;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./flowders up}: starts the stack and returns once the job made its first commit. Kafka,
 * the S3 server and Spark start side by side (they do not need each other), the producer as soon as
 * Kafka has its topic, the job's supervisor (which starts the job) once all three are up; a failure
 * or Ctrl-C stops what was started. On a partly running stack it starts only the missing components
 * and leaves the others running.
 */
final class StackUp {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration FIRST_COMMIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern JSON_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  private final LocalStack stack;
  private final StackLayout layout;
  private final StackConfig config;
  private final PrintStream out;
  private final Producer producerApi;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();
  private final List<AutoCloseable> starting = new ArrayList<>();

  StackUp(LocalStack stack) {
    this.stack = stack;
    this.layout = stack.layout;
    this.config = stack.config;
    this.out = stack.out;
    this.producerApi = Producer.of(layout);
  }

  public int run() {
    Map<Component, Optional<ProcessHandle>> running = stack.processes();
    List<Component> missing =
        running.entrySet().stream()
            .filter(e -> e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    if (missing.isEmpty()) {
      out.println(
          "flowders is already running ("
              + running.size()
              + " processes). ./flowders status shows them, ./flowders down stops them.");
      return 0;
    }
    boolean fresh = missing.size() == running.size();
    Set<String> toStart = new LinkedHashSet<>(missing.stream().map(Component::name).toList());
    Optional<ProcessHandle> supervisor = running.get(stack.component(StackLayout.JOB_SUPERVISOR));
    if (supervisor.isPresent() && toStart.remove(StackLayout.JOB)) {
      // Its supervisor restarts it, maybe after its backoff: two jobs would write the same tables.
      out.println(
          "job       not running: its supervisor (pid "
              + supervisor.get().pid()
              + ") restarts it; ./flowders status says when");
    }
    if (toStart.isEmpty()) {
      return 0;
    }
    checkPortsFree(missing.stream().filter(c -> toStart.contains(c.name())).toList());
    if (fresh) {
      checkMemory();
      // A new stack's job starts with no restarts (a reboot leaves the last one's report).
      Folders.deleteQuietly(layout.supervisorState());
    }
    long started = System.nanoTime();
    Path metadata = layout.totalsMetadata();
    List<String> snapshotsBefore = snapshots(metadata);
    List<Long> before =
        running.values().stream().flatMap(Optional::stream).map(ProcessHandle::pid).toList();
    Thread cleanup = new Thread(() -> abortStart(before), "flowders-abort-up");
    Runtime.getRuntime().addShutdownHook(cleanup);
    boolean jobStarts = toStart.contains(StackLayout.JOB);
    try {
      if (fresh) {
        out.println(
            "Starting flowders (state in "
                + layout.display(layout.state())
                + "/, data in "
                + layout.display(layout.warehouse())
                + "/)");
      } else {
        out.println(
            "flowders is partly running. Starting: "
                + String.join(", ", toStart)
                + "; already running: "
                + LocalStack.names(running, true)
                + ".");
      }
      CompletableFuture<Void> kafka = startIfMissing(toStart, "kafka-", this::startKafka);
      CompletableFuture<Void> s3 = startIfMissing(toStart, StackLayout.S3, this::startS3);
      CompletableFuture<Void> spark = startIfMissing(toStart, "spark-", this::startSpark);
      CompletableFuture<Void> producer =
          toStart.contains(StackLayout.PRODUCER)
              ? kafka.thenRunAsync(this::startProducer)
              : CompletableFuture.completedFuture(null);
      CompletableFuture<Void> job =
          toStart.contains(StackLayout.JOB_SUPERVISOR)
              ? CompletableFuture.allOf(kafka, s3, spark)
                  .thenRunAsync(() -> startJob(jobStarts, running))
              : CompletableFuture.completedFuture(null);
      join(CompletableFuture.allOf(producer, job, kafka, s3, spark));
      if (jobStarts) {
        awaitFirstCommit(metadata, snapshotsBefore, started);
      }
    } catch (RuntimeException e) {
      out.println(
          "flowders up failed; stopping what it started (logs stay in "
              + layout.display(layout.state())
              + "/).");
      abortStart(before);
      throw e;
    } finally {
      synchronized (starting) {
        starting.clear();
      }
      removeHook(cleanup);
    }
    printSummary();
    return 0;
  }

  /**
   * Runs {@code start} with the missing components whose name starts with {@code prefix}, in the
   * background; nothing when none is missing.
   */
  private static CompletableFuture<Void> startIfMissing(
      Set<String> toStart, String prefix, Consumer<List<String>> start) {
    List<String> names = toStart.stream().filter(n -> n.startsWith(prefix)).toList();
    return names.isEmpty()
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.runAsync(() -> start.accept(names));
  }

  // ---- the components

  private void startKafka(List<String> nodes) {
    long t0 = System.nanoTime();
    KafkaCluster kafka =
        KafkaCluster.builder()
            .ports(config.kafkaClientPorts(), config.kafkaControllerPorts())
            .dataDir(layout.kafkaDir())
            .secured(layout.credentials())
            .heap(LocalStack.KAFKA_HEAP)
            .only(nodes)
            .outliveParent()
            .build();
    track(kafka);
    kafka.start();
    writePidFiles(kafka.pidsByName());
    // Also what a rejoining node waits for: every partition's ISR full again.
    kafka.createOrdersTopic();
    ready(
        nodes.size() == KafkaCluster.NODE_IDS.size() ? "kafka" : String.join(",", nodes),
        t0,
        (nodes.size() == KafkaCluster.NODE_IDS.size() ? "3 nodes" : "joined the cluster")
            + " on "
            + kafka.bootstrapServers()
            + ", topic "
            + config.topic()
            + " ("
            + config.topicPartitions()
            + " partitions, RF "
            + config.topicReplicationFactor()
            + ", min ISR "
            + config.topicMinInsyncReplicas()
            + ", all in sync; SASL/SCRAM and ACLs, client configs in "
            + layout.display(layout.kafkaDir())
            + "/*.properties)");
  }

  private void startS3(List<String> unused) {
    long t0 = System.nanoTime();
    S3Server s3 =
        S3Server.builder(config)
            .port(config.s3Port())
            .dataDir(layout.s3Dir())
            .bucketsDir(layout.warehouse())
            .heap(LocalStack.S3_HEAP)
            .outliveParent()
            .build();
    track(s3);
    s3.start();
    Processes.writePidFile(layout.pidFile(StackLayout.S3), s3.pid());
    s3.createBucket(config.s3Bucket());
    ready(
        "s3",
        t0,
        s3.endpoint()
            + ", bucket "
            + config.s3Bucket()
            + " in "
            + layout.display(layout.warehouse().resolve(config.s3Bucket()))
            + "/");
  }

  private void startSpark(List<String> processes) {
    long t0 = System.nanoTime();
    SparkCluster spark =
        SparkCluster.builder(config)
            .workDir(layout.sparkDir())
            .heap(LocalStack.SPARK_DAEMON_HEAP)
            .only(processes)
            .outliveParent()
            .build();
    track(spark);
    spark.start();
    writePidFiles(spark.pidsByName());
    ready(
        processes.size() == 1 + config.sparkWorkerUiPorts().size()
            ? "spark"
            : String.join(",", processes),
        t0,
        "master "
            + spark.masterUrl()
            + " (UI "
            + spark.masterUiUrl()
            + "), "
            + config.sparkWorkerUiPorts().size()
            + " workers x "
            + config.sparkWorkerCores()
            + " cores ALIVE");
  }

  /**
   * Starts the job's supervisor, which starts the job (or adopts the running one), and returns once
   * the job has its executors.
   */
  private void startJob(boolean jobStarts, Map<Component, Optional<ProcessHandle>> running) {
    long t0 = System.nanoTime();
    Path pidFile = layout.pidFile(StackLayout.JOB);
    if (jobStarts) {
      Folders.deleteQuietly(pidFile);
    }
    JvmProcess supervisor = JobSupervisor.launcher(layout).start();
    track(() -> supervisor.stop(JobSupervisor.STOP_GRACE));
    Processes.writePidFile(layout.pidFile(StackLayout.JOB_SUPERVISOR), supervisor.pid());
    if (!jobStarts) {
      long pid = running.get(stack.component(StackLayout.JOB)).orElseThrow().pid();
      ready("job", t0, "already running (pid " + pid + "), supervised again");
      return;
    }
    Await.until(
        START_TIMEOUT,
        () -> Processes.fromPidFile(pidFile).isPresent(),
        () -> supervisor.isAlive() ? null : "its supervisor exited",
        reason -> componentFailure(StackLayout.JOB_SUPERVISOR, "did not start the job: " + reason));
    ProcessHandle job = Processes.fromPidFile(pidFile).orElseThrow();
    int executors = config.sparkExecutors();
    Await.until(
        START_TIMEOUT,
        () -> executors() >= executors,
        () -> job.isAlive() ? null : "exited",
        reason ->
            componentFailure(
                StackLayout.JOB,
                "(pid "
                    + job.pid()
                    + ") has no "
                    + executors
                    + " executors on "
                    + layout.sparkUiUrl()
                    + ": "
                    + reason));
    ready(
        "job",
        t0,
        "app "
            + applicationId().orElse("?")
            + " on "
            + config.sparkMaster()
            + ", "
            + executors
            + " executors x 1 core, trigger "
            + config.trigger()
            + " (UI "
            + layout.sparkUiUrl()
            + "), supervised: restarted after a failure");
  }

  private void startProducer() {
    long t0 = System.nanoTime();
    JvmProcess producer =
        Producer.launcher(
                layout.home(),
                config.kafkaBootstrap(),
                config.topic(),
                layout.producerPort(),
                Producer.writeConfig(
                    layout.producerConfig(),
                    Optional.of(layout.kafkaClientConfig(KafkaPrincipal.PRODUCER)),
                    layout.credentials().get(Credentials.Secret.PRODUCER_RATE_TOKEN)))
            .heap(LocalStack.PRODUCER_HEAP)
            .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
            .logFile(layout.logsDir().resolve("producer.log"))
            .workDir(layout.state().resolve("producer"))
            .outliveParent()
            .start();
    track(producer::kill);
    Processes.writePidFile(layout.pidFile(StackLayout.PRODUCER), producer.pid());
    producer.awaitReady(
        "acknowledged orders on " + layout.producerUrl() + "/orders/stats",
        START_TIMEOUT,
        () -> acknowledged() > 0);
    ready(
        "producer",
        t0,
        layout.producerUrl() + ", orders flowing (" + acknowledged() + " acknowledged)");
  }

  private void awaitFirstCommit(Path metadata, List<String> before, long started) {
    Optional<ProcessHandle> job = Processes.fromPidFile(layout.pidFile(StackLayout.JOB));
    Await.until(
        FIRST_COMMIT_TIMEOUT,
        () -> snapshots(metadata).stream().anyMatch(s -> !before.contains(s)),
        () -> job.map(ProcessHandle::isAlive).orElse(false) ? null : "the job exited",
        reason -> componentFailure(StackLayout.JOB, "made no Iceberg commit: " + reason));
    out.printf(
        "%-9s first Iceberg commit to lake.flowders.customer_minute_totals %.0f s after up%n",
        "commit", (System.nanoTime() - started) / 1e9);
  }

  private void printSummary() {
    List<ProcessHandle> alive =
        stack.processes().values().stream().flatMap(Optional::stream).toList();
    List<String> workers =
        config.sparkWorkerUiPorts().stream().map(p -> "http://127.0.0.1:" + p).toList();
    out.println();
    out.println(
        "flowders is up: "
            + alive.size()
            + " processes, "
            + Processes.mib(Processes.totalRss(alive))
            + " resident (with executors).");
    out.println(
        "  Kafka bootstrap    " + config.kafkaBootstrap() + "   (topic " + config.topic() + ")");
    out.println(
        "  Spark master UI    " + layout.sparkMasterUiUrl() + "   (" + config.sparkMaster() + ")");
    out.println("  Spark worker UIs   " + String.join("  ", workers));
    out.println("  Spark app UI       " + layout.sparkUiUrl() + "   (the streaming job)");
    out.println(
        "  Job metrics        "
            + layout.jobMetricsUrl()
            + "   (Prometheus; Spark's: "
            + layout.sparkUiUrl()
            + "/metrics/prometheus/)");
    out.println(
        "  S3 API             "
            + config.s3Endpoint()
            + "   (access key "
            + config.s3AccessKey()
            + ", secret in "
            + layout.display(layout.state().resolve(Credentials.FILE))
            + ", files in "
            + layout.display(layout.warehouse())
            + "/)");
    out.println(
        "  Producer           "
            + layout.producerUrl()
            + "   ("
            + layout.producerUrl()
            + "/orders/stats, /q/health)");
    out.println();
    out.println("Next:");
    out.println("  ./flowders logs job                 the aggregates table, each trigger");
    out.println(
        "  ./flowders sql                      SQL on catalog lake, e.g. SELECT * FROM lake.flowders.customer_minute_totals;");
    out.println(
        "  ./flowders kafka-console-consumer --topic "
            + config.topic()
            + " --partition 5 --from-beginning");
    out.println(
        "  ./flowders verify                   recompute from the topic and compare with the table");
    out.println(
        "  "
            + Producer.rateCommand(layout.producerUrl(), "50")
            + "   orders/s (0 pauses, max = full speed)");
    out.println("  ./flowders status | down | down --purge");
  }

  // ---- checks and helpers

  private void writePidFiles(Map<String, Long> pids) {
    pids.forEach((name, pid) -> Processes.writePidFile(layout.pidFile(name), pid));
  }

  private void checkPortsFree(List<Component> starting) {
    List<String> taken = new ArrayList<>();
    for (Component c : starting) {
      for (int port : c.ports()) {
        if (!Ports.isFree(port)) {
          taken.add(
              "port "
                  + port
                  + " ("
                  + c.name()
                  + ") is taken by "
                  + Processes.listener(port).orElse("an unknown process"));
        }
      }
    }
    if (!taken.isEmpty()) {
      throw new StackException(
          "cannot start: "
              + String.join("\n  ", taken)
              + "\n  Stop that process, or move the stack with the FLOWDERS_* port variables (README, Configuration).");
    }
  }

  private void checkMemory() {
    long budget = stack.budget();
    long available = Processes.memAvailable();
    if (available >= 0 && available < budget) {
      throw new StackException(
          "not enough memory: the stack needs about "
              + Processes.mib(budget)
              + " (sum of its heaps) and MemAvailable is "
              + Processes.mib(available)
              + ". Close something, or lower "
              + FlowdersSettings.SPARK_EXECUTOR_MEMORY
              + ".");
    }
  }

  private int executors() {
    return applicationId()
        .map(
            id -> {
              Matcher m =
                  JSON_ID.matcher(
                      get(layout.sparkUiUrl() + "/api/v1/applications/" + id + "/executors")
                          .orElse(""));
              int count = 0;
              while (m.find()) {
                count += m.group(1).equals("driver") ? 0 : 1;
              }
              return count;
            })
        .orElse(0);
  }

  private Optional<String> applicationId() {
    return get(layout.sparkUiUrl() + "/api/v1/applications")
        .flatMap(
            body -> {
              Matcher m = JSON_ID.matcher(body);
              return m.find() ? Optional.of(m.group(1)) : Optional.empty();
            });
  }

  private long acknowledged() {
    try {
      return producerApi.stats().acknowledged();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  private Optional<String> get(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** The snapshot files of a table's metadata folder: a new one is a commit. */
  static List<String> snapshots(Path metadata) {
    if (!Files.isDirectory(metadata)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(metadata)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("snap-")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private StackException componentFailure(String name, String what) {
    Component c = stack.component(name);
    return new StackException(name + " " + what + " (log " + c.log() + ")\n" + LogTail.of(c.log()));
  }

  private synchronized void ready(String name, long t0, String detail) {
    out.printf("%-9s ready in %3.0f s: %s%n", name, (System.nanoTime() - t0) / 1e9, detail);
  }

  private void track(AutoCloseable component) {
    synchronized (starting) {
      starting.add(component);
    }
  }

  /**
   * Stops what this up started, after a failure or when it is interrupted (Ctrl-C), and leaves what
   * ran before it ({@code before}, with their children) running.
   */
  private void abortStart(List<Long> before) {
    List<AutoCloseable> started;
    synchronized (starting) {
      started = new ArrayList<>(starting);
      starting.clear();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception ignored) {
        // the sweep below gets the rest
      }
    }
    if (started.isEmpty()) {
      return;
    }
    Set<Long> keep = new HashSet<>(before);
    before.forEach(
        pid ->
            ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> keep.add(d.pid()))));
    Processes.stop(
        Processes.javaProcessesUsing(layout.state()).stream()
            .filter(p -> !keep.contains(p.pid()))
            .toList(),
        JvmProcess.ABORT_GRACE);
    stack
        .processes()
        .forEach(
            (c, p) -> {
              if (p.isEmpty()) {
                Folders.deleteQuietly(layout.pidFile(c.name()));
              }
            });
  }

  private static void join(CompletableFuture<?> future) {
    try {
      future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // already shutting down
    }
  }
}
