package io.flowders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.Await;
import io.flowders.stack.FaultProxy;
import io.flowders.stack.Folders;
import io.flowders.stack.JobSupervisor;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.LogTail;
import io.flowders.stack.Ports;
import io.flowders.stack.Processes;
import io.flowders.stack.Producer;
import io.flowders.stack.S3Server;
import io.flowders.stack.SparkDriver;
import io.flowders.stack.StackConfig;
import io.flowders.stack.StackLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * One scenario of {@code ./flowders faults} on the stack of the run: a topic, tables and a
 * checkpoint of its own; the job on the cluster under its supervisor (as {@code ./flowders up} runs
 * it) and the producer at a steady rate. Orders flow, the fault comes and goes, the pipeline
 * recovers; then the producer pauses, the job reads the topic to its end and stops, and {@code
 * verify --all-windows} compares every window with the topic.
 */
final class FaultRun {

  /**
   * Freshness is back when a batch's totals commit comes at most this long after the newest order
   * it counted: the trigger plus this margin (the batch's own work and a shared 2-core machine).
   */
  static final Duration FRESHNESS_MARGIN = Duration.ofSeconds(20);

  /**
   * The longest restart backoff of the job's supervisor during the run: with the product's default
   * (2 minutes) ten driver kills in a row would spend most of the run waiting.
   */
  static final String RESTART_BACKOFF_MAX = "15 seconds";

  private static final String LEDGER_TABLE = "orders";
  private static final String TOTALS_TABLE = "customer_minute_totals";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration PAUSE_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration VERIFY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration BROKER_DOWN = Duration.ofSeconds(30);
  private static final Duration S3_DOWN = Duration.ofSeconds(60);
  private static final Duration ALL_BROKERS_DOWN = Duration.ofMinutes(3);
  private static final Duration S3_FLAKY = Duration.ofMinutes(2);
  private static final Duration S3_LATENCY = Duration.ofSeconds(2);
  private static final double S3_RESET_SHARE = 0.1;
  private static final Duration PRODUCER_CUT_OFF = Duration.ofMinutes(2);

  private final BenchStack stack;
  private final FaultsOptions options;
  private final FaultScenario scenario;
  private final Path dir;
  private final PrintStream out;
  private final StackLayout layout;
  private final Path jobLog;
  private final long logStart;
  private final Duration freshnessTarget;

  /** Between the job and S3, in the scenarios that need one. */
  private final Optional<FaultProxy> s3Proxy;

  private JvmProcess supervisor;
  private ProducerApp producer;

  /** Orders acknowledged by producers killed earlier in this scenario. */
  private long acknowledgedBefore;

  private long failedBefore;

  /** Driver kills that came after a batch's ledger commit and before its totals commit. */
  private int betweenCommits;

  private boolean ledgerCommitted;

  private FaultRun(
      BenchStack stack,
      FaultsOptions options,
      FaultScenario scenario,
      String prefix,
      Path work,
      PrintStream out) {
    this.stack = stack;
    this.options = options;
    this.scenario = scenario;
    this.dir = work.resolve(scenario.id());
    this.out = out;
    String name = prefix + "-" + scenario.id();
    this.s3Proxy =
        scenario == FaultScenario.S3_FLAKY
            ? Optional.of(FaultProxy.to(stack.s3().port()))
            : Optional.empty();
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                FlowdersSettings.TOPIC.name(),
                name,
                FlowdersSettings.WAREHOUSE.name(),
                "s3a://" + stack.layout().config().s3Bucket() + "/faults/" + name,
                FlowdersSettings.CHECKPOINT.name(),
                dir.resolve("checkpoint").toString(),
                FlowdersSettings.SPARK_UI_PORT.name(),
                Integer.toString(Ports.free()),
                FlowdersSettings.JOB_RESTART_BACKOFF_MAX.name(),
                RESTART_BACKOFF_MAX));
    s3Proxy.ifPresent(
        proxy -> settings.put(StackConfig.S3_ENDPOINT, "http://127.0.0.1:" + proxy.port()));
    this.layout = stack.layout(settings);
    this.jobLog = layout.component(StackLayout.JOB).log();
    this.logStart = size(jobLog);
    this.freshnessTarget =
        layout.config().settings().get(FlowdersSettings.TRIGGER).plus(FRESHNESS_MARGIN);
  }

  /** Runs {@code scenario} and checks it; a run that cannot finish is a result with its error. */
  static FaultResult run(
      BenchStack stack,
      FaultsOptions options,
      FaultScenario scenario,
      String prefix,
      Path work,
      PrintStream out) {
    FaultRun run = new FaultRun(stack, options, scenario, prefix, work, out);
    try {
      return run.run();
    } catch (RuntimeException e) {
      out.printf("  %s: %s%n", scenario.id(), e.getMessage());
      return FaultResult.failed(scenario, e.getMessage());
    } finally {
      run.stopAll();
    }
  }

  private FaultResult run() {
    out.printf("%s: %s%n", scenario.id(), scenario.description());
    stack.createTopic(layout.config().topic());
    supervisor = JobSupervisor.launcher(layout).boundToParent(true).start();
    startProducer();
    awaitBatches(1, START_TIMEOUT, "the job's first commit");
    sleep(Duration.ofSeconds(options.steadySeconds()));
    Instant injected = Instant.now();
    Duration recovery =
        switch (scenario) {
          case BROKER_KILL -> brokerKill();
          case ALL_BROKERS_DOWN -> allBrokersDown();
          case S3_DOWN -> s3Down();
          case S3_FLAKY -> s3Flaky();
          case DRIVER_KILL -> driverKill();
          case LOST_CHECKPOINT -> lostCheckpoint();
          case EXECUTOR_KILL -> executorKill();
          case PRODUCER_KILL -> producerKill();
          case PRODUCER_CUT_OFF -> producerCutOff();
        };
    Producer.Stats last = producer.pause();
    long acknowledged = acknowledgedBefore + last.acknowledged();
    long failed = failedBefore + last.failed();
    Map<Integer, Long> ends = stack.endOffsets(layout.config().topic());
    long records = ends.values().stream().mapToLong(Long::longValue).sum();
    Await.until(
        CATCH_UP_TIMEOUT,
        () -> caughtUp(ends),
        () -> null,
        reason ->
            new IllegalStateException(
                "the job did not read the topic to its end ("
                    + records
                    + " records): "
                    + reason
                    + "; see "
                    + jobLog));
    supervisor.stop(JobSupervisor.STOP_GRACE);
    JsonNode verify = verify();
    out.printf(
        "  %s: done in %.0f s after the fault began, freshness back %s after its end; verify %s%n",
        scenario.id(),
        Duration.between(injected, Instant.now()).toSeconds() * 1.0,
        recovery == null ? "never" : "in " + recovery.toMillis() / 1000.0 + " s",
        verify);
    return FaultResult.of(
        scenario, acknowledged, failed, records, verify, recovery, betweenCommits);
  }

  // The scenarios: each returns the longest time from a fault's end until freshness was back.

  private Duration brokerKill() {
    KafkaCluster kafka = stack.kafka();
    Duration longest = Duration.ZERO;
    for (int node : kafka.nodeIds()) {
      out.printf("  SIGKILL Kafka node %d%n", node);
      kafka.killNode(node);
      sleep(options.scaled(BROKER_DOWN));
      kafka.startNode(node);
      longest = longer(longest, recovery(Instant.now()));
    }
    return longest;
  }

  private Duration allBrokersDown() {
    KafkaCluster kafka = stack.kafka();
    out.printf(
        "  SIGKILL every Kafka node, down for %d s%n",
        options.scaled(ALL_BROKERS_DOWN).toSeconds());
    kafka.nodeIds().forEach(kafka::killNode);
    sleep(options.scaled(ALL_BROKERS_DOWN));
    kafka.startNodes(kafka.nodeIds());
    return recovery(Instant.now());
  }

  private Duration s3Down() {
    S3Server s3 = stack.s3();
    // Down while batches commit: right after one, so the next one meets the outage.
    awaitBatches(batches() + 1, RECOVERY_TIMEOUT, "a commit before the outage");
    out.printf("  S3 server down for %d s%n", options.scaled(S3_DOWN).toSeconds());
    s3.close();
    sleep(options.scaled(S3_DOWN));
    s3.start();
    return recovery(Instant.now());
  }

  private Duration s3Flaky() {
    FaultProxy proxy = s3Proxy.orElseThrow();
    Duration length = options.scaled(S3_FLAKY);
    out.printf(
        "  S3 +%d s per chunk, %.0f%% of connections reset, for %d s%n",
        S3_LATENCY.toSeconds(), S3_RESET_SHARE * 100, length.toSeconds());
    proxy.latency(S3_LATENCY).resetShare(S3_RESET_SHARE);
    sleep(length);
    proxy.heal();
    return recovery(Instant.now());
  }

  /**
   * Half of the kills (the odd ones) come right after a batch's ledger commit, before its totals
   * commit, found by the ledger's new metadata file; the others anywhere in a trigger and a half.
   */
  private Duration driverKill() {
    Duration longest = Duration.ZERO;
    long triggerMillis = layout.config().settings().get(FlowdersSettings.TRIGGER).toMillis();
    for (int k = 1; k <= options.driverKills(); k++) {
      awaitBatches(batches() + 1, RECOVERY_TIMEOUT, "a commit of the job before kill " + k);
      if (k % 2 == 1) {
        awaitLedgerCommit();
      } else {
        sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(triggerMillis * 3 / 2)));
      }
      Instant killed = killDriver(k);
      Await.until(
          "the supervisor to start the job again",
          RECOVERY_TIMEOUT,
          () -> jobProcess().isPresent());
      longest = longer(longest, recovery(killed));
    }
    return longest;
  }

  private Duration lostCheckpoint() {
    awaitBatches(batches() + 1, RECOVERY_TIMEOUT, "a commit of the job");
    // No restart until the checkpoint is gone: the supervisor goes first.
    supervisor.kill();
    awaitLedgerCommit();
    killDriver(1);
    Path checkpoint = dir.resolve("checkpoint");
    out.printf("  checkpoint %s deleted%n", checkpoint);
    Folders.deleteRecursively(checkpoint);
    supervisor = JobSupervisor.launcher(layout).boundToParent(true).start();
    return recovery(Instant.now());
  }

  private Duration executorKill() {
    long triggerMillis = layout.config().settings().get(FlowdersSettings.TRIGGER).toMillis();
    awaitBatches(batches() + 1, RECOVERY_TIMEOUT, "a commit of the job");
    long executorsBefore = stack.executorPids().size();
    // A batch runs for a few seconds of each trigger: land in it, or in the next one.
    sleep(
        Duration.ofMillis(ThreadLocalRandom.current().nextLong(triggerMillis / 10, triggerMillis)));
    List<Long> executors = stack.executorPids();
    if (executors.isEmpty()) {
      throw new IllegalStateException("no executor of the job to kill");
    }
    long victim = executors.get(ThreadLocalRandom.current().nextInt(executors.size()));
    out.printf("  SIGKILL executor pid %d (%d running)%n", victim, executorsBefore);
    ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
    return recovery(Instant.now());
  }

  private Duration producerCutOff() {
    Duration length = options.scaled(PRODUCER_CUT_OFF);
    out.printf("  Kafka unreachable for the producer for %d s%n", length.toSeconds());
    stack.producerProxies().forEach(proxy -> proxy.down(true));
    sleep(length);
    stack.producerProxies().forEach(FaultProxy::heal);
    return recovery(Instant.now());
  }

  /** SIGKILLs the job's driver; returns when. */
  private Instant killDriver(int k) {
    ProcessHandle job = jobProcess().orElseThrow(() -> new IllegalStateException("no job"));
    long totals = metadataVersions(TOTALS_TABLE);
    job.destroyForcibly();
    Instant killed = Instant.now();
    job.onExit().join();
    boolean between = metadataVersions(TOTALS_TABLE) == totals && ledgerCommitted;
    if (between) {
      betweenCommits++;
    }
    ledgerCommitted = false;
    out.printf(
        "  SIGKILL the job's driver (%d of %d)%s%n",
        k,
        scenario == FaultScenario.DRIVER_KILL ? options.driverKills() : 1,
        between ? ": between the ledger and the totals commits" : "");
    // The pid file names the killed driver until the supervisor starts the next one.
    Await.until(
        "the killed driver's pid to be gone",
        Duration.ofSeconds(30),
        () -> jobProcess().filter(p -> p.pid() == job.pid()).isEmpty());
    return killed;
  }

  /** Returns right after the next commit of the ledger table (a new metadata file). */
  private void awaitLedgerCommit() {
    long before = metadataVersions(LEDGER_TABLE);
    long deadline = System.nanoTime() + RECOVERY_TIMEOUT.toNanos();
    while (metadataVersions(LEDGER_TABLE) == before) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no ledger commit within " + RECOVERY_TIMEOUT);
      }
      sleep(Duration.ofMillis(20));
    }
    ledgerCommitted = true;
  }

  /** Iceberg's Hadoop catalog writes v<N>.metadata.json per commit of a table. */
  private long metadataVersions(String table) {
    Path metadata =
        stack
            .onDisk(layout.config().warehouse())
            .resolve("flowders")
            .resolve(table)
            .resolve("metadata");
    if (!Files.isDirectory(metadata)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(metadata)) {
      return files
          .filter(f -> f.getFileName().toString().matches("v\\d+\\.metadata\\.json"))
          .count();
    } catch (IOException e) {
      return 0;
    }
  }

  private Duration producerKill() {
    Producer.Stats stats = producer.stats();
    out.println("  SIGKILL the producer, start it again");
    producer.kill();
    // What it acknowledged since this last look is unknown: the count is a lower bound.
    acknowledgedBefore += stats.acknowledged();
    failedBefore += stats.failed();
    startProducer();
    return recovery(Instant.now());
  }

  // Measures.

  /**
   * From {@code faultEnd} to the first batch committed after it whose totals commit came within the
   * freshness target of its newest order; null if none within the recovery timeout.
   */
  private Duration recovery(Instant faultEnd) {
    Duration[] found = new Duration[1];
    try {
      Await.until(
          "freshness under " + freshnessTarget.toSeconds() + " s",
          RECOVERY_TIMEOUT,
          () -> {
            found[0] = firstFresh(faultEnd).orElse(null);
            return found[0] != null;
          });
    } catch (IllegalStateException e) {
      return null;
    }
    return found[0];
  }

  private Optional<Duration> firstFresh(Instant faultEnd) {
    for (JsonNode batch : JobReports.of(JobReports.BATCH, readLog())) {
      Optional<Instant> committed = instant(batch.path("totals_committed_at"));
      Optional<Instant> newest = instant(batch.path("newest_event_time"));
      if (committed.isPresent()
          && newest.isPresent()
          && !committed.get().isBefore(faultEnd)
          && Duration.between(newest.get(), committed.get()).compareTo(freshnessTarget) <= 0) {
        return Optional.of(Duration.between(faultEnd, committed.get()));
      }
    }
    return Optional.empty();
  }

  /** Whether the job's batches reached each partition's end offset. */
  private boolean caughtUp(Map<Integer, Long> ends) {
    Map<Integer, Long> read = new HashMap<>();
    for (JsonNode batch : JobReports.of(JobReports.BATCH, readLog())) {
      for (JsonNode range : batch.path("kafka")) {
        read.merge(range.get("partition").asInt(), range.get("last_offset").asLong(), Math::max);
      }
    }
    return ends.entrySet().stream()
        .allMatch(e -> e.getValue() == 0 || read.getOrDefault(e.getKey(), -1L) >= e.getValue() - 1);
  }

  /** {@code verify --all-windows} in local[2]: its JSON summary. */
  private JsonNode verify() {
    JvmProcess.Result result =
        SparkDriver.builder(layout, SparkDriver.VERIFY_MAIN, SparkDriver.LOCAL_MASTER, "1g")
            .name("faults-verify")
            .jvmArgs(SparkDriver.localSettings().toArray(String[]::new))
            .workDir(dir.resolve("verify"))
            .args("--all-windows")
            .run(VERIFY_TIMEOUT);
    List<String> summary =
        result.stdout().lines().filter(l -> l.startsWith("{\"verify\":")).toList();
    if (summary.isEmpty()) {
      throw new IllegalStateException(
          "verify gave no summary (exit "
              + result.exitCode()
              + "):\n"
              + LogTail.of(result.stdout() + result.stderr()));
    }
    return JobBench.lastJsonLine(summary.get(summary.size() - 1));
  }

  // The pipeline's parts.

  private void startProducer() {
    producer =
        ProducerApp.start(
            stack,
            scenario == FaultScenario.PRODUCER_CUT_OFF
                ? stack.kafka().proxiedBootstrapServers()
                : stack.bootstrap(),
            layout.config().topic(),
            dir.resolve("logs").resolve("producer-" + System.currentTimeMillis() + ".log"));
    producer.rate(Integer.toString(options.rate()));
  }

  private Optional<ProcessHandle> jobProcess() {
    return Processes.fromPidFile(layout.pidFile(StackLayout.JOB));
  }

  private long batches() {
    return JobReports.of(JobReports.BATCH, readLog()).size();
  }

  private void awaitBatches(long count, Duration timeout, String what) {
    Await.until(
        timeout,
        () -> batches() >= count,
        () -> supervisor.isAlive() ? null : "the job's supervisor exited",
        reason ->
            new IllegalStateException(
                what + ": " + reason + "; the end of " + jobLog + ":\n" + LogTail.of(readLog())));
  }

  private void stopAll() {
    if (producer != null) {
      producer.close();
    }
    if (supervisor != null) {
      supervisor.stop(JobSupervisor.STOP_GRACE);
    }
    // A job its supervisor could not stop (it was killed itself) is stopped here.
    jobProcess().ifPresent(p -> p.destroyForcibly());
    s3Proxy.ifPresent(FaultProxy::close);
  }

  // Helpers.

  private String readLog() {
    if (!Files.exists(jobLog)) {
      return "";
    }
    try (var channel = Files.newByteChannel(jobLog)) {
      channel.position(logStart);
      return new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<Instant> instant(JsonNode node) {
    return node.isTextual() ? Optional.of(Instant.parse(node.asText())) : Optional.empty();
  }

  private static Duration longer(Duration a, Duration b) {
    return a == null || b == null ? null : a.compareTo(b) >= 0 ? a : b;
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
