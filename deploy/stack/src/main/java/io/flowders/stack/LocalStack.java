package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.MemorySize;
import io.flowders.stack.StackLayout.Component;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./flowders up / down / status / logs}: the stack as daemons that outlive the command,
 * found again through pid files under {@code .flowders/pids}. Kafka, the S3 server and Spark start
 * side by side (they do not need each other), the producer as soon as Kafka has its topic, the job
 * once all three are up.
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

  public static final String PRODUCER_MAIN = "io.quarkus.bootstrap.runner.QuarkusEntryPoint";
  public static final String PRODUCER_JAR = "producer-quarkus/target/quarkus-app/quarkus-run.jar";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration FIRST_COMMIT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Pattern ACKNOWLEDGED = Pattern.compile("\"acknowledged\"\\s*:\\s*(\\d+)");
  private static final Pattern JSON_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
  private static final int TAIL_LINES = 25;

  private final StackLayout layout;
  private final StackConfig config;
  private final PrintStream out;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(3))
          .build();
  private final List<AutoCloseable> starting = new ArrayList<>();

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

  public int up() {
    Map<Component, Optional<ProcessHandle>> running = processes();
    long alive = running.values().stream().filter(Optional::isPresent).count();
    if (alive == running.size()) {
      out.println(
          "flowders is already running ("
              + alive
              + " processes). ./flowders status shows them, ./flowders down stops them.");
      return 0;
    }
    if (alive > 0) {
      throw new StackException(
          "flowders is partly running: "
              + names(running, true)
              + " up, "
              + names(running, false)
              + " not.\n  Run ./flowders down, then ./flowders up.");
    }
    checkPortsFree();
    checkMemory();
    long started = System.nanoTime();
    Path metadata = layout.totalsMetadata();
    List<String> snapshotsBefore = snapshots(metadata);
    Thread cleanup = new Thread(this::abortStart, "flowders-abort-up");
    Runtime.getRuntime().addShutdownHook(cleanup);
    try {
      out.println(
          "Starting flowders (state in "
              + layout.display(layout.state())
              + "/, data in "
              + layout.display(layout.warehouse())
              + "/)");
      CompletableFuture<Void> kafka = CompletableFuture.runAsync(this::startKafka);
      CompletableFuture<Void> s3 = CompletableFuture.runAsync(this::startS3);
      CompletableFuture<Void> spark = CompletableFuture.runAsync(this::startSpark);
      CompletableFuture<Void> producer = kafka.thenRunAsync(this::startProducer);
      CompletableFuture<Void> job =
          CompletableFuture.allOf(kafka, s3, spark).thenRunAsync(this::startJob);
      join(CompletableFuture.allOf(producer, job));
      awaitFirstCommit(metadata, snapshotsBefore, started);
    } catch (RuntimeException e) {
      out.println(
          "flowders up failed; stopping what it started (logs stay in "
              + layout.display(layout.state())
              + "/).");
      abortStart();
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

  public int down(boolean purge) {
    List<Component> components = layout.components();
    Map<Component, Optional<ProcessHandle>> running = processes();
    // Clients first, Kafka last: the producer flushes and the job finishes its batch while the
    // brokers are still up.
    stopGroup(
        running, c -> c.name().equals(StackLayout.PRODUCER) || c.name().equals(StackLayout.JOB));
    stopGroup(running, c -> c.name().startsWith("spark-") || c.name().equals(StackLayout.S3));
    stopGroup(running, c -> c.name().startsWith("kafka-"));
    List<ProcessHandle> leftovers = Processes.javaProcessesUsing(layout.state());
    if (!leftovers.isEmpty()) {
      out.println(
          "stopping "
              + leftovers.size()
              + " more process(es) of this stack (pids "
              + Processes.pids(leftovers)
              + ")");
      Processes.stop(leftovers, STOP_GRACE);
    }
    components.forEach(c -> deleteQuietly(layout.pidFile(c.name())));
    // Only the ports of what this stopped: another program may use a port while the stack is down.
    List<Component> stopped =
        leftovers.isEmpty()
            ? components.stream().filter(c -> running.get(c).isPresent()).toList()
            : components;
    List<String> busy = awaitPortsFree(stopped, Duration.ofSeconds(15));
    if (purge) {
      KafkaCluster.deleteRecursively(layout.state());
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

  public int status() {
    Map<Component, Optional<ProcessHandle>> running = processes();
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

  /** Follows the logs of the components whose name starts with {@code prefix} (all without one). */
  public int logs(Optional<String> prefix) {
    List<Component> chosen =
        layout.components().stream()
            .filter(c -> prefix.map(c.name()::startsWith).orElse(true))
            .toList();
    if (chosen.isEmpty()) {
      throw new StackException(
          "no component "
              + prefix.get()
              + "; components: "
              + String.join(", ", layout.components().stream().map(Component::name).toList())
              + ", kafka, spark");
    }
    List<String> files =
        chosen.stream().map(Component::log).filter(Files::exists).map(Path::toString).toList();
    if (files.isEmpty()) {
      throw new StackException(
          "no log yet for " + prefix.orElse("any component") + " (run ./flowders up)");
    }
    List<String> command = new ArrayList<>(List.of("tail", "-n", "50", "-F"));
    command.addAll(files);
    try {
      Process tail = new ProcessBuilder(command).inheritIO().start();
      // Ctrl-C reaches tail itself; a kill of this JVM alone must not leave it behind.
      Runtime.getRuntime().addShutdownHook(new Thread(tail::destroy, "flowders-stop-tail"));
      return tail.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  // ---- up: the components

  private void startKafka() {
    long t0 = System.nanoTime();
    KafkaCluster kafka =
        KafkaCluster.builder()
            .ports(config.kafkaClientPorts(), config.kafkaControllerPorts())
            .dataDir(layout.kafkaDir())
            .heap(KAFKA_HEAP)
            .outliveParent()
            .build();
    track(kafka);
    kafka.start();
    kafka
        .nodeIds()
        .forEach(id -> Processes.writePidFile(layout.pidFile("kafka-" + id), kafka.pid(id)));
    kafka.createOrdersTopic();
    ready(
        "kafka",
        t0,
        "3 nodes on "
            + kafka.bootstrapServers()
            + ", topic "
            + config.topic()
            + " ("
            + config.topicPartitions()
            + " partitions, RF "
            + config.topicReplicationFactor()
            + ", min ISR "
            + config.topicMinInsyncReplicas()
            + ")");
  }

  private void startS3() {
    long t0 = System.nanoTime();
    S3Server s3 =
        S3Server.builder()
            .port(config.s3Port())
            .dataDir(layout.s3Dir())
            .bucketsDir(layout.warehouse())
            .heap(S3_HEAP)
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

  private void startSpark() {
    long t0 = System.nanoTime();
    SparkCluster spark =
        SparkCluster.builder()
            .workDir(layout.sparkDir())
            .heap(SPARK_DAEMON_HEAP)
            .outliveParent()
            .build();
    track(spark);
    spark.start();
    List<Long> pids = spark.pids();
    Processes.writePidFile(layout.pidFile(StackLayout.SPARK_MASTER), pids.get(0));
    for (int i = 1; i < pids.size(); i++) {
      Processes.writePidFile(layout.pidFile("spark-worker-" + i), pids.get(i));
    }
    ready(
        "spark",
        t0,
        "master "
            + spark.masterUrl()
            + " (UI "
            + spark.masterUiUrl()
            + "), "
            + (pids.size() - 1)
            + " workers x "
            + config.sparkWorkerCores()
            + " cores ALIVE");
  }

  private void startJob() {
    long t0 = System.nanoTime();
    JvmProcess job =
        SparkDriver.builder(layout, SparkDriver.JOB_MAIN, config.sparkMaster(), DRIVER_HEAP)
            .name(StackLayout.JOB)
            .logFile(layout.logsDir().resolve("job.log"))
            .workDir(layout.state().resolve("job"))
            .outliveParent()
            .start();
    track(job::kill);
    Processes.writePidFile(layout.pidFile(StackLayout.JOB), job.pid());
    int executors = config.sparkExecutors();
    job.awaitReady(
        executors + " executors on " + layout.sparkUiUrl(),
        START_TIMEOUT,
        () -> executors() >= executors);
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
            + ")");
  }

  private void startProducer() {
    long t0 = System.nanoTime();
    Path jar = layout.home().resolve(PRODUCER_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new StackException(jar + " is missing: run ./flowders build");
    }
    JvmProcess producer =
        JvmProcess.builder(PRODUCER_MAIN)
            .name(StackLayout.PRODUCER)
            .classpath(jar.toString())
            .heap(PRODUCER_HEAP)
            .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
            .env("KAFKA_BOOTSTRAP_SERVERS", config.kafkaBootstrap())
            .env(StackConfig.KAFKA_BOOTSTRAP, config.kafkaBootstrap())
            .env(StackConfig.TOPIC, config.topic())
            .env(FlowdersSettings.PRODUCER_PORT.name(), Integer.toString(layout.producerPort()))
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
    List<ProcessHandle> alive = processes().values().stream().flatMap(Optional::stream).toList();
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
        "  S3 API             "
            + config.s3Endpoint()
            + "   (access key "
            + config.s3AccessKey()
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
    out.println("  ./flowders status | down | down --purge");
  }

  // ---- up: checks and helpers

  private void checkPortsFree() {
    List<String> taken = new ArrayList<>();
    for (Component c : layout.components()) {
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
    long budget = budget();
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

  /** The heaps of every JVM of the stack, the most it can take. */
  long budget() {
    long executors = config.sparkExecutors() * config.sparkExecutorMemoryBytes();
    return 3 * bytes(KAFKA_HEAP)
        + bytes(S3_HEAP)
        + (1 + config.sparkWorkerUiPorts().size()) * bytes(SPARK_DAEMON_HEAP)
        + bytes(DRIVER_HEAP)
        + bytes(PRODUCER_HEAP)
        + executors;
  }

  static long bytes(String size) {
    return MemorySize.parse(size).bytes();
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
    return get(layout.producerUrl() + "/orders/stats")
        .map(ACKNOWLEDGED::matcher)
        .filter(Matcher::find)
        .map(m -> Long.parseLong(m.group(1)))
        .orElse(0L);
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

  private static List<String> snapshots(Path metadata) {
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
    Component c =
        layout.components().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    List<String> lines = List.of();
    try {
      List<String> all = Files.readAllLines(c.log());
      lines = all.subList(Math.max(0, all.size() - TAIL_LINES), all.size());
    } catch (IOException | RuntimeException ignored) {
      // no log to quote
    }
    return new StackException(
        name + " " + what + " (log " + c.log() + ")\n" + String.join("\n", lines));
  }

  private synchronized void ready(String name, long t0, String detail) {
    out.printf("%-9s ready in %3.0f s: %s%n", name, (System.nanoTime() - t0) / 1e9, detail);
  }

  private void track(AutoCloseable component) {
    synchronized (starting) {
      starting.add(component);
    }
  }

  /** Stops what this up started: after a failure, or when it is interrupted (Ctrl-C). */
  private void abortStart() {
    List<AutoCloseable> started;
    synchronized (starting) {
      started = new ArrayList<>(starting);
      starting.clear();
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception ignored) {
        // the pid-file sweep below gets the rest
      }
    }
    if (!started.isEmpty()) {
      Processes.stop(Processes.javaProcessesUsing(layout.state()), Duration.ofSeconds(10));
      layout.components().forEach(c -> deleteQuietly(layout.pidFile(c.name())));
    }
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

  // ---- down

  private void stopGroup(
      Map<Component, Optional<ProcessHandle>> running,
      java.util.function.Predicate<Component> which) {
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
    Processes.stop(group.values(), STOP_GRACE);
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
      entries.filter(p -> !p.equals(readme)).forEach(KafkaCluster::deleteRecursively);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale pid file is checked against the process' start time anyway
    }
  }

  private static String names(Map<Component, Optional<ProcessHandle>> running, boolean alive) {
    return String.join(
        ", ",
        running.entrySet().stream()
            .filter(e -> e.getValue().isPresent() == alive)
            .map(e -> e.getKey().name())
            .toList());
  }
}
