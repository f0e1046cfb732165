package io.flowders.bench;

import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.Await;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.LocalStack;
import io.flowders.stack.Ports;
import io.flowders.stack.Processes;
import io.flowders.stack.Producer;
import io.flowders.stack.SparkDriver;
import io.flowders.stack.StackLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The streaming job on the standalone cluster, fed by the producer at fixed rates: for each order,
 * the time from its timestamp (set by the producer just before the send, so this includes the few
 * ms to its acknowledgement) to the commit that made its window's row in {@code
 * customer_minute_totals} include it. The orders ledger says in which trigger each order was
 * counted ({@code ingested_at}), the table's snapshots when that trigger's totals became visible.
 * The first {@code warm-up} seconds of each rate are left out.
 */
final class FreshnessBench {

  /** A rate is held with p99 freshness within the trigger plus this. */
  static final double MARGIN_SECONDS = 5;

  private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(10);

  /** Orders behind the producer that never end the steps: a few seconds of catch-up at most. */
  private static final long MIN_BEHIND = 100_000;

  private FreshnessBench() {}

  /** A rate's time, the warm-up left out, and the rate the producer reached. */
  record Phase(int rate, Instant from, Instant to, double achieved) {
    Phase(int rate, Instant from, Instant to) {
      this(rate, from, to, rate);
    }
  }

  record Latency(int rate, long orders, double p50, double p95, double p99) {}

  /** Memory and files while the pipeline runs at the highest rate. */
  record Footprint(
      Map<String, Long> rssBytes,
      long totalRssBytes,
      double cpuMicrosPerOrder,
      double dataFilesPerHour,
      double snapshotsPerHour) {}

  /**
   * {@code sustained}: the highest rate held (p99 within the target, the producer within 5 % of the
   * rate, and every lower rate held too), 0 when none was; {@code footprint} at that rate, or at
   * the first rate when none was held.
   */
  record Result(
      String trigger,
      List<Latency> latencies,
      Map<Integer, Double> achieved,
      int sustained,
      Footprint footprint) {}

  /** The freshness target for a trigger: p99 within it plus 5 s. */
  static double targetSeconds(String trigger) {
    return FlowdersSettings.TRIGGER.parse(trigger).toMillis() / 1000.0 + MARGIN_SECONDS;
  }

  /** The highest of {@code latencies}' rates held, each lower one held too; 0 if none. */
  static int sustained(List<Latency> latencies, Map<Integer, Double> achieved, double target) {
    int held = 0;
    for (Latency l : latencies.stream().sorted((a, b) -> a.rate() - b.rate()).toList()) {
      if (l.p99() > target || achieved.getOrDefault(l.rate(), 0.0) < 0.95 * l.rate()) {
        break;
      }
      held = l.rate();
    }
    return held;
  }

  static Result run(
      BenchStack stack, BenchOptions options, String prefix, Path work, PrintStream out)
      throws InterruptedException {
    String warehouse =
        "s3a://"
            + stack.layout().config().s3Bucket()
            + "/"
            + BenchStack.BENCH_TABLES
            + "/"
            + prefix
            + "-fresh";
    StackLayout layout =
        stack.attached()
            ? stack.layout()
            : stack.layout(
                Map.of(
                    FlowdersSettings.TOPIC.name(),
                    prefix + "-fresh",
                    FlowdersSettings.WAREHOUSE.name(),
                    warehouse,
                    FlowdersSettings.CHECKPOINT.name(),
                    work.resolve("fresh-checkpoint").toString(),
                    FlowdersSettings.SPARK_UI_PORT.name(),
                    Integer.toString(Ports.free()),
                    FlowdersSettings.JOB_METRICS_PORT.name(),
                    Integer.toString(Ports.free())));
    Path jobLog =
        stack.attached() ? layout.logsDir().resolve("job.log") : work.resolve("logs/job-fresh.log");
    long logStart = size(jobLog);
    JvmProcess job = null;
    ProducerApp producer = null;
    Producer.Stats initial = null;
    try {
      if (stack.attached()) {
        producer = ProducerApp.attach(layout);
        initial = producer.stats();
      } else {
        stack.createTopic(layout.config().topic());
        job =
            SparkDriver.builder(
                    layout,
                    SparkDriver.JOB_MAIN,
                    stack.clusterMaster().orElseThrow(),
                    LocalStack.DRIVER_HEAP)
                .name("bench-job")
                .workDir(work.resolve("fresh-job"))
                .logFile(jobLog)
                .start();
        producer =
            ProducerApp.start(
                stack, layout.config().topic(), work.resolve("logs/producer-fresh.log"));
      }
      Producer.Stats before = producer.stats();
      producer.rate(Integer.toString(options.rates().get(0)));
      JvmProcess running = job;
      Await.until(
          START_TIMEOUT,
          () -> committed(jobLog, logStart) > 0,
          () -> running != null && !running.isAlive() ? "the job exited" : null,
          reason ->
              new IllegalStateException("the job made no commit: " + reason + "; see " + jobLog));
      out.printf(
          "  freshness: the job commits (trigger %s); rates %s orders/s, %d s each%n",
          layout.config().trigger(), options.rates(), options.rateSeconds());
      double target = targetSeconds(layout.config().trigger());
      List<Phase> phases = new ArrayList<>();
      Map<Integer, Footprint> footprints = new LinkedHashMap<>();
      for (int rate : options.rates()) {
        producer.rate(Integer.toString(rate));
        Instant from = Instant.now();
        long ackedBefore = producer.stats().acknowledged();
        footprints.put(rate, footprint(stack, job, producer, options, from, warehouse));
        Instant to = Instant.now();
        long acked = producer.stats().acknowledged();
        double achieved = (acked - ackedBefore) / (Duration.between(from, to).toMillis() / 1000.0);
        phases.add(new Phase(rate, from.plusSeconds(options.warmUpSeconds()), to, achieved));
        // A job that ends a rate far behind (twice the target, or a third of the rate's time, and
        // more than a small catch-up) has not held it and will not hold a higher one
        long behind = acked - before.acknowledged() - committed(jobLog, logStart);
        double allowed =
            Math.max(MIN_BEHIND, rate * Math.max(2 * target, options.rateSeconds() / 3.0));
        if (behind > allowed && rate != options.rates().get(options.rates().size() - 1)) {
          out.printf(
              "  freshness: at %,d orders/s the job ended %,d orders behind the producer;"
                  + " the higher rates are left out%n",
              rate, behind);
          break;
        }
      }
      Producer.Stats after = producer.pause();
      long produced = after.acknowledged() - before.acknowledged();
      Await.until(
          "the job to count all " + produced + " orders",
          CATCH_UP_TIMEOUT,
          () -> committed(jobLog, logStart) >= produced);
      List<Latency> latencies = latencies(layout, phases, work);
      Map<Integer, Double> achieved = new LinkedHashMap<>();
      phases.forEach(p -> achieved.put(p.rate(), p.achieved()));
      latencies.forEach(
          l ->
              out.printf(
                  "  freshness at %,d orders/s (%,.0f reached): p50 %.1f s, p95 %.1f s, p99 %.1f s"
                      + " (%,d orders)%n",
                  l.rate(), achieved.get(l.rate()), l.p50(), l.p95(), l.p99(), l.orders()));
      int sustained = sustained(latencies, achieved, target);
      return new Result(
          layout.config().trigger(),
          latencies,
          achieved,
          sustained,
          footprints.getOrDefault(sustained, footprints.values().iterator().next()));
    } finally {
      if (producer != null) {
        if (initial != null) {
          producer.rate(initial.rate() < 0 ? "max" : Long.toString(Math.round(initial.rate())));
        }
        producer.close();
      }
      if (job != null) {
        job.close();
      }
    }
  }

  /**
   * One rate's time: memory sampled halfway through, CPU and Iceberg files over the whole of it
   * (the files of the job's tables written since {@code started}, per hour).
   */
  private static Footprint footprint(
      BenchStack stack,
      JvmProcess job,
      ProducerApp producer,
      BenchOptions options,
      Instant started,
      String warehouse)
      throws InterruptedException {
    long phaseStart = System.nanoTime();
    double cpuBefore = CpuClock.busySeconds();
    long ackedBefore = producer.stats().acknowledged();
    Thread.sleep(options.rateSeconds() * 500L);
    Map<String, Long> rss = new LinkedHashMap<>();
    stack.servicePids().forEach((name, pid) -> rss.put(name, Processes.rss(pid)));
    Optional<Long> jobPid =
        job != null
            ? Optional.of(job.pid())
            : Processes.fromPidFile(stack.layout().pidFile(StackLayout.JOB))
                .map(ProcessHandle::pid);
    jobPid.ifPresent(pid -> rss.put("job driver", Processes.rss(pid)));
    rss.put("executors", stack.executorPids().stream().mapToLong(Processes::rss).sum());
    Optional<Long> producerPid =
        producer
            .pid()
            .or(
                () ->
                    Processes.fromPidFile(stack.layout().pidFile(StackLayout.PRODUCER))
                        .map(ProcessHandle::pid));
    producerPid.ifPresent(pid -> rss.put("producer", Processes.rss(pid)));
    Thread.sleep(
        Math.max(0, options.rateSeconds() * 1000L - (System.nanoTime() - phaseStart) / 1_000_000));
    double cpu = CpuClock.busySeconds() - cpuBefore;
    long acked = producer.stats().acknowledged() - ackedBefore;
    double hours = Duration.between(started, Instant.now()).toMillis() / 3_600_000.0;
    Path tables =
        stack
            .onDisk(stack.attached() ? stack.layout().config().warehouse() : warehouse)
            .resolve("flowders");
    FileTime since = FileTime.from(started);
    return new Footprint(
        rss,
        rss.values().stream().mapToLong(Long::longValue).sum(),
        acked == 0 ? Double.NaN : cpu / (acked / 1e6),
        files(tables, "data", ".parquet", since) / hours,
        files(tables, "metadata", ".avro", since, "snap-") / hours);
  }

  private static long files(Path tables, String folder, String suffix, FileTime since) {
    return files(tables, folder, suffix, since, "");
  }

  private static long files(
      Path tables, String folder, String suffix, FileTime since, String prefix) {
    if (!Files.isDirectory(tables)) {
      return 0;
    }
    try (Stream<Path> all = Files.walk(tables)) {
      return all.filter(Files::isRegularFile)
          .filter(f -> f.toString().contains("/" + folder + "/"))
          .filter(
              f ->
                  f.getFileName().toString().startsWith(prefix)
                      && f.getFileName().toString().endsWith(suffix))
          .filter(f -> modified(f).compareTo(since) >= 0)
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String latencySql(List<Phase> phases) {
    StringBuilder phase = new StringBuilder("CASE");
    for (Phase p : phases) {
      phase
          .append(" WHEN o.order_ts >= TIMESTAMP '")
          .append(p.from())
          .append("' AND o.order_ts < TIMESTAMP '")
          .append(p.to())
          .append("' THEN ")
          .append(p.rate());
    }
    phase.append(" END");
    Instant first = phases.get(0).from();
    return "WITH batches AS ("
        + " SELECT b.ingested_at, min(s.committed_at) AS visible_at"
        + " FROM (SELECT DISTINCT ingested_at FROM lake.flowders.orders WHERE order_ts >= TIMESTAMP '"
        + first
        + "') b"
        + " JOIN lake.flowders.customer_minute_totals.snapshots s ON s.committed_at >= b.ingested_at"
        + " GROUP BY b.ingested_at)"
        + " SELECT rate, count(*) AS orders,"
        + " percentile_approx(latency_ms, 0.5, 10000) AS p50_ms,"
        + " percentile_approx(latency_ms, 0.95, 10000) AS p95_ms,"
        + " percentile_approx(latency_ms, 0.99, 10000) AS p99_ms"
        + " FROM (SELECT "
        + phase
        + " AS rate, unix_millis(b.visible_at) - unix_millis(o.order_ts) AS latency_ms"
        + " FROM lake.flowders.orders o JOIN batches b ON o.ingested_at = b.ingested_at"
        + " WHERE o.order_ts >= TIMESTAMP '"
        + first
        + "')"
        + " WHERE rate IS NOT NULL GROUP BY rate ORDER BY rate";
  }

  private static List<Latency> latencies(StackLayout layout, List<Phase> phases, Path work) {
    JvmProcess.Result result =
        SparkDriver.builder(layout, SparkDriver.SQL_MAIN, SparkDriver.LOCAL_MASTER, "1g")
            .name("bench-sql")
            .jvmArgs(SparkDriver.localSettings().toArray(String[]::new))
            .workDir(work.resolve("sql"))
            .args("-e", latencySql(phases))
            .run(Duration.ofMinutes(10))
            .orThrow("the freshness query");
    List<Latency> latencies = new ArrayList<>();
    for (List<String> row : SqlTable.rows(result.stdout())) {
      latencies.add(
          new Latency(
              Integer.parseInt(row.get(0)),
              Long.parseLong(row.get(1)),
              Double.parseDouble(row.get(2)) / 1000,
              Double.parseDouble(row.get(3)) / 1000,
              Double.parseDouble(row.get(4)) / 1000));
    }
    return latencies;
  }

  /**
   * New orders the job's batch reports in its log since {@code from} (a byte offset) say were
   * committed.
   */
  static long committed(Path log, long from) {
    return JobReports.of(JobReports.BATCH, readFrom(log, from)).stream()
        .mapToLong(batch -> batch.get("accepted").asLong())
        .sum();
  }

  private static String readFrom(Path log, long from) {
    if (!Files.exists(log)) {
      return "";
    }
    try (var channel = Files.newByteChannel(log)) {
      channel.position(from);
      return new String(
          java.nio.channels.Channels.newInputStream(channel).readAllBytes(),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
