package io.flowders.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.Await;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaPrincipal;
import io.flowders.stack.LocalStack;
import io.flowders.stack.LogTail;
import io.flowders.stack.Ports;
import io.flowders.stack.Producer;
import io.flowders.stack.SparkDriver;
import io.flowders.stack.StackLayout;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backlog of orders, written by the Quarkus producer at max rate, then read interleaved by
 * ConsumerPerformance, by {@link PlainConsumer}, and by the job with {@code --once} in local[2] and
 * on the standalone cluster, each job run with a fresh checkpoint and tables.
 */
final class JobBench {

  static final String CONSUMER_PERFORMANCE = "ConsumerPerformance";
  static final String PLAIN_CONSUMER = "plain consumer";
  static final String KAFKA_STREAMS = "Kafka Streams, EOS v2";
  static final String SPARK_AGGREGATION = "Spark aggregation local[2]";
  static final String JOB_LOCAL = "job --once local[2]";
  static final String JOB_CLUSTER = "job --once cluster 4x1";
  private static final String SPARK_AGGREGATION_MAIN = "io.flowders.peer.SparkAggregation";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);

  private JobBench() {}

  /**
   * Orders/s and machine CPU µs per order (every process's CPU over the run, the brokers' included,
   * divided by the orders), per reader.
   */
  record Result(long orders, Map<String, Samples> rates, Map<String, Samples> cpuMicrosPerOrder) {
    /** NaN when either was not measured. */
    double ratio(String reader, String reference) {
      Samples a = rates.get(reader);
      Samples b = rates.get(reference);
      return a == null || b == null ? Double.NaN : a.median() / b.median();
    }
  }

  static Result run(
      BenchStack stack, BenchOptions options, String prefix, Path work, PrintStream out)
      throws IOException {
    String topic = prefix + "-backlog";
    stack.createTopic(topic);
    long orders = backlog(stack, topic, options.orders(), work.resolve("logs"), out);
    List<String> readers = new ArrayList<>();
    Map<String, String> labels =
        Map.of(
            BenchOptions.CONSUMER_PERFORMANCE, CONSUMER_PERFORMANCE,
            BenchOptions.PLAIN_CONSUMER, PLAIN_CONSUMER,
            BenchOptions.KAFKA_STREAMS, KAFKA_STREAMS,
            BenchOptions.SPARK_AGGREGATION, SPARK_AGGREGATION,
            BenchOptions.JOB_LOCAL, JOB_LOCAL,
            BenchOptions.JOB_CLUSTER, JOB_CLUSTER);
    for (String reader : BenchOptions.ALL_READERS) {
      if (options.readers().contains(reader)
          && (!reader.equals(BenchOptions.JOB_CLUSTER) || stack.clusterMaster().isPresent())) {
        readers.add(labels.get(reader));
      }
    }
    Map<String, Samples> rates = new LinkedHashMap<>();
    Map<String, Samples> cpu = new LinkedHashMap<>();
    readers.forEach(
        r -> {
          rates.put(r, Samples.of());
          cpu.put(r, Samples.of());
        });
    for (int r = 0; r < options.repeats(); r++) {
      for (int i = 0; i < readers.size(); i++) {
        String reader = readers.get((i + r) % readers.size());
        double cpuBefore = CpuClock.busySeconds();
        double rate =
            switch (reader) {
              case CONSUMER_PERFORMANCE -> KafkaTools.consumerPerformance(stack, topic, orders);
              case PLAIN_CONSUMER -> plainConsumer(stack, topic, orders);
              case KAFKA_STREAMS ->
                  kafkaStreams(
                      stack,
                      topic,
                      orders,
                      prefix + "-" + r + "-streams",
                      work.resolve("run-" + r));
              case SPARK_AGGREGATION ->
                  sparkAggregation(
                      stack,
                      topic,
                      work.resolve("run-" + r + "-spark-aggregation"),
                      prefix + "-" + r + "-spark-aggregation",
                      orders,
                      options.jobJvmArgs());
              case JOB_LOCAL ->
                  job(
                      stack,
                      topic,
                      SparkDriver.LOCAL_MASTER,
                      work.resolve("run-" + r + "-local"),
                      prefix + "-" + r + "-local",
                      orders,
                      options.jobJvmArgs());
              default ->
                  job(
                      stack,
                      topic,
                      stack.clusterMaster().orElseThrow(),
                      work.resolve("run-" + r + "-cluster"),
                      prefix + "-" + r + "-cluster",
                      orders,
                      options.jobJvmArgs());
            };
        double cpuSeconds = CpuClock.busySeconds() - cpuBefore;
        rates.put(reader, rates.get(reader).with(rate));
        double cpuMicros = cpuSeconds * 1e6 / orders;
        cpu.put(reader, cpu.get(reader).with(cpuMicros));
        out.printf(
            "  backlog run %d: %-24s %,10.0f orders/s, %.1f machine CPU µs per order%n",
            r + 1, reader, rate, cpuMicros);
      }
    }
    return new Result(orders, rates, cpu);
  }

  private static long backlog(
      BenchStack stack, String topic, long orders, Path logs, PrintStream out) {
    long t0 = System.nanoTime();
    try (ProducerApp app = ProducerApp.start(stack, topic, logs.resolve("producer-backlog.log"))) {
      app.rate("max");
      Await.until(
          "a backlog of " + orders + " orders",
          Duration.ofMinutes(20),
          () -> app.stats().acknowledged() >= orders);
      Producer.Stats stats = app.pause();
      out.printf(
          "  backlog: %,d orders in topic %s (%.0f s)%n",
          stats.acknowledged(), topic, (System.nanoTime() - t0) / 1e9);
      return stats.acknowledged();
    }
  }

  private static double plainConsumer(BenchStack stack, String topic, long orders) {
    return peer(
        "the plain consumer",
        onBenchClasspath(PlainConsumer.class)
            .heap("512m")
            .args(stack.bootstrap(), topic, stack.clientConfig(KafkaPrincipal.JOB).toString()),
        orders);
  }

  /**
   * As the admin: Kafka Streams creates its changelog and writes transactions, which the job's
   * read-only principal may not.
   */
  private static double kafkaStreams(
      BenchStack stack, String topic, long orders, String application, Path dir) {
    return peer(
        "Kafka Streams",
        onBenchClasspath(KafkaStreamsPeer.class)
            .heap("1g")
            .args(
                stack.bootstrap(),
                topic,
                stack.clientConfig(KafkaPrincipal.ADMIN).toString(),
                application,
                dir.resolve("kafka-streams").toString()),
        orders);
  }

  /** A JVM of {@code main} on the bench's classpath, quiet (its logs at WARN). */
  private static JvmProcess.Builder onBenchClasspath(Class<?> main) {
    return JvmProcess.builder(main.getName())
        .classpath(System.getProperty("java.class.path").split(File.pathSeparator))
        .jvmArgs("-XX:+UseParallelGC", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
  }

  /** A peer's run: its own figure, from the JSON line it prints last. */
  private static double peer(String name, JvmProcess.Builder builder, long orders) {
    JvmProcess.Result result = builder.run(RUN_TIMEOUT).orThrow(name);
    JsonNode line = lastJsonLine(result.stdout());
    if (line == null || line.get("records").asLong() != orders) {
      throw new IllegalStateException(
          name
              + " did not read "
              + orders
              + " orders:\n"
              + result.stdout()
              + LogTail.of(result.stderr()));
    }
    return line.get("records").asLong() / line.get("seconds").asDouble();
  }

  /** The last line of {@code output} that is a JSON object, or null. */
  static JsonNode lastJsonLine(String output) {
    List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
    if (lines.isEmpty()) {
      return null;
    }
    try {
      return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not JSON: " + lines.get(lines.size() - 1), e);
    }
  }

  /**
   * One {@code --once} run on fresh tables; the job's own figure (records over the query's run).
   */
  private static double job(
      BenchStack stack,
      String topic,
      String master,
      Path dir,
      String tables,
      long orders,
      List<String> jvmArgs) {
    JvmProcess.Result result =
        driver(stack, topic, SparkDriver.JOB_MAIN, master, dir, tables, jvmArgs)
            .name("bench-job")
            .args("--once")
            .run(RUN_TIMEOUT)
            .orThrow("the job --once on " + master);
    List<JsonNode> stopped = JobReports.of(JobReports.STOPPED, result.stderr());
    if (stopped.isEmpty()) {
      throw new IllegalStateException(
          "no 'stopped' report from the job; the end of its log:\n" + LogTail.of(result.stderr()));
    }
    long records = stopped.get(0).get("records").asLong();
    if (records != orders) {
      throw new IllegalStateException(
          "the job read " + records + " records, the backlog holds " + orders);
    }
    return records / (stopped.get(0).get("took_ms").asLong() / 1000.0);
  }

  /** Spark's own streaming aggregation (see SparkAggregation in the job's module), in local[2]. */
  private static double sparkAggregation(
      BenchStack stack, String topic, Path dir, String tables, long orders, List<String> jvmArgs) {
    return peer(
        "Spark's aggregation",
        driver(stack, topic, SPARK_AGGREGATION_MAIN, SparkDriver.LOCAL_MASTER, dir, tables, jvmArgs)
            .name("bench-spark-aggregation"),
        orders);
  }

  /** A Spark driver with the stack's settings, on a topic, tables and checkpoint of one run. */
  private static JvmProcess.Builder driver(
      BenchStack stack,
      String topic,
      String main,
      String master,
      Path dir,
      String tables,
      List<String> jvmArgs) {
    StackLayout layout =
        stack.layout(
            Map.of(
                FlowdersSettings.TOPIC.name(),
                topic,
                FlowdersSettings.WAREHOUSE.name(),
                "s3a://"
                    + stack.layout().config().s3Bucket()
                    + "/"
                    + BenchStack.BENCH_TABLES
                    + "/"
                    + tables,
                FlowdersSettings.CHECKPOINT.name(),
                dir.resolve("checkpoint").toString(),
                FlowdersSettings.SPARK_UI_PORT.name(),
                Integer.toString(Ports.free()),
                FlowdersSettings.JOB_METRICS_PORT.name(),
                Integer.toString(Ports.free())));
    return SparkDriver.builder(layout, main, master, LocalStack.DRIVER_HEAP)
        .workDir(dir)
        .jvmArgs(jvmArgs.toArray(String[]::new));
  }
}
