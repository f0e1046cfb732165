package io.flowders.bench;

import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaAccess;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.KafkaPrincipal;
import io.flowders.stack.Runtimes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kafka's own ProducerPerformance and ConsumerPerformance, the references the bench compares with.
 */
final class KafkaTools {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Pattern PRODUCER_SUMMARY =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

  /** Among the groups the job principal may use. */
  private static final String READER_GROUP = KafkaAccess.PLAIN_READER_GROUPS + "bench-";

  private KafkaTools() {}

  /**
   * The producer's own settings (acks=all, idempotence, 5 in flight, linger 20 ms, 64 KiB batches,
   * lz4): only what differs between the two is measured. Returns records per second.
   */
  static double producerPerformance(BenchStack stack, String topic, long records, int recordSize) {
    JvmProcess.Result result =
        tool(
            KafkaCluster.PRODUCER_PERFORMANCE,
            ProducerApp.BENCH_HEAP,
            "--producer.config",
            stack.clientConfig(KafkaPrincipal.PRODUCER).toString(),
            "--topic",
            topic,
            "--num-records",
            Long.toString(records),
            "--record-size",
            Integer.toString(recordSize),
            "--throughput",
            "-1",
            "--producer-props",
            "bootstrap.servers=" + stack.bootstrap(),
            "acks=all",
            "enable.idempotence=true",
            "max.in.flight.requests.per.connection=5",
            "linger.ms=20",
            "batch.size=65536",
            "compression.type=lz4");
    return parseProducerPerformance(result.stdout());
  }

  static double parseProducerPerformance(String output) {
    Matcher last = null;
    Matcher m = PRODUCER_SUMMARY.matcher(output);
    while (m.find()) {
      last = PRODUCER_SUMMARY.matcher(m.group());
      last.find();
    }
    if (last == null) {
      throw new IllegalStateException("no summary in ProducerPerformance's output:\n" + output);
    }
    return Double.parseDouble(last.group(2));
  }

  /**
   * Reads {@code records} from the start of the topic as the job principal, in a group of its own
   * that the principal may use; records per second while fetching.
   */
  static double consumerPerformance(BenchStack stack, String topic, long records) {
    JvmProcess.Result result =
        tool(
            KafkaCluster.CONSUMER_PERFORMANCE,
            "512m",
            "--bootstrap-server",
            stack.bootstrap(),
            "--consumer.config",
            stack.clientConfig(KafkaPrincipal.JOB).toString(),
            "--group",
            READER_GROUP + UUID.randomUUID(),
            "--topic",
            topic,
            "--messages",
            Long.toString(records),
            "--timeout",
            "60000");
    return parseConsumerPerformance(result.stdout());
  }

  /**
   * The CSV line under the header; fetch.nMsg.sec leaves out the group join, which the job's own
   * figure does not include either.
   */
  static double parseConsumerPerformance(String output) {
    List<String> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("start.time")) {
        List<String> header = List.of(lines.get(i).split(",\\s*"));
        String[] values = lines.get(i + 1).split(",\\s*");
        int column = header.indexOf("fetch.nMsg.sec");
        if (column >= 0 && column < values.length) {
          return Double.parseDouble(values[column]);
        }
      }
    }
    throw new IllegalStateException("no result in ConsumerPerformance's output:\n" + output);
  }

  private static JvmProcess.Result tool(String main, String heap, String... args) {
    return JvmProcess.builder(main)
        .classpath(Runtimes.classpath(Runtimes.KAFKA))
        .heap(heap)
        .jvmArgs("-XX:+UseParallelGC")
        .args(args)
        .run(TIMEOUT)
        .orThrow(main);
  }
}
