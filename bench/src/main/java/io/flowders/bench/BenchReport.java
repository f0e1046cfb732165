package io.flowders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.Processes;
import io.flowders.stack.StackConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What a bench run found, as a table for the terminal, JSON for the record and a PNG chart. */
final class BenchReport {

  static final double PRODUCER_TARGET = 0.9;
  static final double JOB_TARGET = 0.5;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> root = new LinkedHashMap<>();
  private final String host;
  private final BenchOptions options;
  private ProducerBench.Result producer;
  private JobBench.Result job;
  private FreshnessBench.Result freshness;

  BenchReport(Instant started, String host, Properties versions, BenchOptions options) {
    this.host = host;
    this.options = options;
    root.put("started", started.toString());
    root.put("host", host);
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_bytes", totalMemory());
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    root.put("machine", machine);
    Map<String, Object> v = new LinkedHashMap<>();
    versions.stringPropertyNames().stream()
        .sorted()
        .forEach(k -> v.put(k, versions.getProperty(k)));
    root.put("versions", v);
    root.put("options", options);
  }

  String host() {
    return host;
  }

  void stack(BenchStack stack) {
    StackConfig c = stack.layout().config();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("mode", stack.attached() ? "attached to ./flowders up" : "own stack on free ports");
    s.put(
        "kafka",
        "3 KRaft nodes, topic partitions "
            + c.topicPartitions()
            + ", RF "
            + c.topicReplicationFactor()
            + ", min ISR "
            + c.topicMinInsyncReplicas());
    s.put(
        "spark",
        c.sparkExecutors()
            + " executors x 1 core x "
            + c.settings().text(FlowdersSettings.SPARK_EXECUTOR_MEMORY)
            + " on 2 workers x "
            + c.sparkWorkerCores()
            + " cores; driver heap 1g; C1 JIT (as ./flowders runs the job)");
    s.put("trigger", c.trigger());
    s.put("max_offsets_per_trigger", c.settings().text(FlowdersSettings.MAX_OFFSETS_PER_TRIGGER));
    s.put(
        "producer",
        "acks=all, idempotence, linger.ms=20, batch.size=65536, lz4, heap "
            + ProducerApp.BENCH_HEAP);
    root.put("settings", s);
  }

  void producer(ProducerBench.Result result) {
    this.producer = result;
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("record_size_bytes", result.recordSize());
    p.put("seconds_per_run", result.seconds());
    p.put("quarkus_orders_per_s", samples(result.quarkus()));
    p.put("producer_performance_records_per_s", samples(result.reference()));
    p.put("ratio", result.ratio());
    p.put("target_ratio", PRODUCER_TARGET);
    root.put("producer", p);
  }

  void job(JobBench.Result result) {
    this.job = result;
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("backlog_orders", result.orders());
    Map<String, Object> readers = new LinkedHashMap<>();
    result
        .rates()
        .forEach(
            (reader, rates) -> {
              Map<String, Object> r = new LinkedHashMap<>();
              r.put("orders_per_s", samples(rates));
              r.put("machine_cpu_us_per_order", samples(result.cpuMicrosPerOrder().get(reader)));
              // A reference that was not among the readers (--readers) has no ratio
              double toConsumer = result.ratio(reader, JobBench.CONSUMER_PERFORMANCE);
              if (!Double.isNaN(toConsumer)) {
                r.put("ratio_to_consumer_performance", toConsumer);
              }
              double toPlain = result.ratio(reader, JobBench.PLAIN_CONSUMER);
              if (!Double.isNaN(toPlain)) {
                r.put("ratio_to_plain_consumer", toPlain);
              }
              readers.put(reader, r);
            });
    j.put("readers", readers);
    j.put("target_ratio", JOB_TARGET);
    root.put("job", j);
  }

  void freshness(FreshnessBench.Result result) {
    this.freshness = result;
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("trigger", result.trigger());
    f.put(
        "measured",
        "from the order's timestamp (set by the producer just before the send) to the commit of "
            + "customer_minute_totals that includes it; the first "
            + options.warmUpSeconds()
            + " s of each rate left out");
    f.put("rates", result.latencies());
    f.put("achieved_orders_per_s", result.achieved());
    f.put("target_p99_s", freshnessTarget());
    f.put("sustained_orders_per_s", result.sustained());
    root.put("freshness", f);
    if (result.footprint() != null) {
      root.put("footprint", result.footprint());
    }
  }

  void finish(Instant end) {
    root.put("finished", end.toString());
    root.put(
        "complete",
        (producer != null || !options.runs(BenchOptions.PRODUCER))
            && (job != null || !options.runs(BenchOptions.JOB))
            && (freshness != null || !options.runs(BenchOptions.FRESHNESS)));
    root.put(
        "minutes",
        Duration.between(Instant.parse((String) root.get("started")), end).toSeconds() / 60.0);
  }

  /** "-" for a ratio to a reference that did not run (--readers). */
  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format("%.3f", value);
  }

  String table() {
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            "flowders bench on %s (%d cores), %d interleaved runs each, medians [min-max]%n",
            host, Runtime.getRuntime().availableProcessors(), options.repeats()));
    if (producer != null) {
      t.append(
          String.format(
              "%-34s %14s  %s%n", "producer (acks=all, idempotent)", "orders/s", "ratio"));
      t.append(
          row(
              "Quarkus producer, max rate",
              producer.quarkus(),
              String.format("%.2f (target %.1f)", producer.ratio(), PRODUCER_TARGET)));
      t.append(
          row("ProducerPerformance, " + producer.recordSize() + " B", producer.reference(), "1"));
    }
    if (job != null) {
      t.append(
          String.format(
              "%-34s %14s  %s%n",
              "backlog of " + job.orders() + " orders",
              "orders/s",
              "ratio to ConsumerPerformance, to the plain consumer, machine CPU µs per order"));
      job.rates()
          .forEach(
              (reader, rates) ->
                  t.append(
                      row(
                          reader,
                          rates,
                          String.format(
                              "%s%s, %s, %.1f",
                              ratio(job.ratio(reader, JobBench.CONSUMER_PERFORMANCE)),
                              reader.startsWith("job") ? " (target " + JOB_TARGET + ")" : "",
                              ratio(job.ratio(reader, JobBench.PLAIN_CONSUMER)),
                              job.cpuMicrosPerOrder().get(reader).median()))));
    }
    if (freshness != null) {
      t.append(
          String.format(
              "freshness (trigger %s; a rate is held with p99 <= %.0f s)%n",
              freshness.trigger(), freshnessTarget()));
      for (FreshnessBench.Latency l : freshness.latencies()) {
        t.append(
            String.format(
                "  %,7d orders/s (%,.0f reached)   p50 %5.1f s   p95 %5.1f s   p99 %5.1f s   (%,d"
                    + " orders)%n",
                l.rate(),
                freshness.achieved().getOrDefault(l.rate(), Double.NaN),
                l.p50(),
                l.p95(),
                l.p99(),
                l.orders()));
      }
      t.append(
          String.format(
              "  sustained: %,d orders/s (the highest rate held, every lower one held too)%n",
              freshness.sustained()));
      FreshnessBench.Footprint f = freshness.footprint();
      if (f != null) {
        t.append(
            String.format(
                "footprint at the rate sustained: %s resident in all, %.0f machine CPU µs per order, "
                    + "%.0f data files and %.0f snapshots per hour%n",
                Processes.mib(f.totalRssBytes()),
                f.cpuMicrosPerOrder(),
                f.dataFilesPerHour(),
                f.snapshotsPerHour()));
        f.rssBytes()
            .forEach(
                (name, rss) -> t.append(String.format("  %-16s %s%n", name, Processes.mib(rss))));
      }
    }
    return t.toString();
  }

  void writeJson(Path file) throws IOException {
    JSON.writeValue(file.toFile(), root);
  }

  /** The chart of a results file: at the end of a run, or again after a change to the chart. */
  static void redraw(Path json, Path png) throws IOException {
    JsonNode root = JSON.readTree(json.toFile());
    Map<String, Double> throughput = new LinkedHashMap<>();
    JsonNode producer = root.path("producer");
    if (!producer.isMissingNode()) {
      throughput.put("Quarkus producer", producer.at("/quarkus_orders_per_s/median").asDouble());
      throughput.put(
          "ProducerPerformance",
          producer.at("/producer_performance_records_per_s/median").asDouble());
    }
    root.at("/job/readers")
        .fields()
        .forEachRemaining(
            r -> throughput.put(r.getKey(), r.getValue().at("/orders_per_s/median").asDouble()));
    Map<Integer, double[]> latencies = new LinkedHashMap<>();
    root.at("/freshness/rates")
        .forEach(
            l ->
                latencies.put(
                    l.path("rate").asInt(),
                    new double[] {
                      l.path("p50").asDouble(), l.path("p95").asDouble(), l.path("p99").asDouble()
                    }));
    double target =
        root.at("/freshness/target_p99_s")
            .asDouble(FreshnessBench.targetSeconds(FlowdersSettings.TRIGGER.defaultValue()));
    BenchChart.write(
        png,
        root.path("host").asText() + ", " + root.path("started").asText(),
        throughput,
        latencies,
        target);
  }

  private double freshnessTarget() {
    return FreshnessBench.targetSeconds(
        freshness != null ? freshness.trigger() : FlowdersSettings.TRIGGER.defaultValue());
  }

  private static String row(String label, Samples s, String ratio) {
    return String.format(
        "  %-32s %,14.0f  %s   [%,.0f-%,.0f]%n", label, s.median(), ratio, s.min(), s.max());
  }

  private static Map<String, Object> samples(Samples s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("median", s.median());
    m.put("min", s.min());
    m.put("max", s.max());
    m.put("runs", s.values());
    return m;
  }

  private static long totalMemory() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getTotalMemorySize()
        : -1;
  }
}
