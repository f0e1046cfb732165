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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./flowders up}: starts the stack and returns once the job made its first commit. Kafka,
 * the S3 server and Spark start side by side (they do not need each other), the producer as soon as
 * Kafka has its topic, the job once all three are up; a failure or Ctrl-C stops what was started.
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
    this.producerApi = new Producer(layout.producerUrl());
  }

  public int run() {
    Map<Component, Optional<ProcessHandle>> running = stack.processes();
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
              + LocalStack.names(running, true)
              + " up, "
              + LocalStack.names(running, false)
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

  // ---- the components

  private void startKafka() {
    long t0 = System.nanoTime();
    KafkaCluster kafka =
        KafkaCluster.builder()
            .ports(config.kafkaClientPorts(), config.kafkaControllerPorts())
            .dataDir(layout.kafkaDir())
            .heap(LocalStack.KAFKA_HEAP)
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

  private void startSpark() {
    long t0 = System.nanoTime();
    SparkCluster spark =
        SparkCluster.builder()
            .workDir(layout.sparkDir())
            .heap(LocalStack.SPARK_DAEMON_HEAP)
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
        SparkDriver.builder(
                layout, SparkDriver.JOB_MAIN, config.sparkMaster(), LocalStack.DRIVER_HEAP)
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
    JvmProcess producer =
        Producer.launcher(
                layout.home(), config.kafkaBootstrap(), config.topic(), layout.producerPort())
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

  // ---- checks and helpers

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
      Processes.stop(Processes.javaProcessesUsing(layout.state()), JvmProcess.ABORT_GRACE);
      stack.deletePidFiles();
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
}
