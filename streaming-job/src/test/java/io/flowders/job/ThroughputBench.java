package io.flowders.job;

import io.flowders.sink.ReportLog;
import io.flowders.stack.JvmProcess;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.Runtimes;
import io.flowders.stack.S3Server;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures, not a test: a backlog of N orders in a 3-broker cluster, read by Kafka's
 * ConsumerPerformance and by the job with --once (child JVM, local[2]), for each setting given.
 * Usage: ThroughputBench N [maxOffsetsPerTrigger:shufflePartitions[:heap[:another job jar or -[:jvm
 * args;...]]] ...].
 */
public final class ThroughputBench {

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    try (KafkaCluster kafka = KafkaCluster.builder().freePorts().build().start();
        S3Server s3 = S3Server.builder().freePort().build().start()) {
      kafka.createOrdersTopic();
      s3.createBucket("warehouse");
      long t = System.nanoTime();
      produce(kafka.bootstrapServers(), n);
      System.out.printf("produced %d orders in %.1f s%n", n, (System.nanoTime() - t) / 1e9);

      for (int round = 0; round < 2; round++) {
        // /usr/bin/time: CPU seconds compare fairly when other processes share the cores.
        Process consumer =
            new ProcessBuilder(
                    "/usr/bin/time",
                    "-f",
                    "ConsumerPerformance cpu %U+%S s, wall %e s",
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-cp",
                    String.join(java.io.File.pathSeparator, Runtimes.classpath(Runtimes.KAFKA)),
                    KafkaCluster.CONSUMER_PERFORMANCE,
                    "--bootstrap-server",
                    kafka.bootstrapServers(),
                    "--topic",
                    "orders",
                    "--messages",
                    Integer.toString(n),
                    "--timeout",
                    "60000")
                .redirectErrorStream(true)
                .start();
        System.out.println(new String(consumer.getInputStream().readAllBytes()).strip());
        consumer.waitFor();
      }

      Path dir = Files.createTempDirectory("flowders-bench");
      for (int i = 1; i < Math.max(args.length, 2); i++) {
        String[] setting = (args.length > i ? args[i] : "500000:4").split(":");
        Map<String, String> env =
            new HashMap<>(
                Map.of(
                    JobConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers(),
                    JobConfig.S3_ENDPOINT, s3.endpoint(),
                    JobConfig.S3_ACCESS_KEY, s3.accessKey(),
                    JobConfig.S3_SECRET_KEY, s3.secretKey(),
                    JobConfig.SPARK_MASTER, "local[2]",
                    JobConfig.WAREHOUSE, "s3a://warehouse/bench-" + i,
                    JobConfig.CHECKPOINT, dir.resolve("checkpoint-" + i).toString(),
                    JobConfig.MAX_OFFSETS_PER_TRIGGER, setting[0]));
        if (setting.length > 3 && !setting[3].equals("-")) {
          System.setProperty("flowders.job.jar", setting[3]);
        } else {
          System.clearProperty("flowders.job.jar");
        }
        JvmProcess.Builder job =
            JobProcess.builder(env, "--once")
                .jvmArgs("-Dspark.sql.shuffle.partitions=" + setting[1]);
        if (setting.length > 2) {
          job.heap(setting[2]);
        }
        if (setting.length > 4) {
          job.jvmArgs(setting[4].split(";"));
        }

        t = System.nanoTime();
        JvmProcess.Result result = job.run(Duration.ofMinutes(30));
        double seconds = (System.nanoTime() - t) / 1e9;
        System.out.printf(
            "job maxOffsetsPerTrigger=%s shufflePartitions=%s: exit %d, %.1f s wall (JVM start to exit), %.0f orders/s%n",
            setting[0], setting[1], result.exitCode(), seconds, n / seconds);
        ReportLog.read(result.stderr()).forEach(System.out::println);
        result.stderr().lines().filter(l -> l.contains("ERROR")).forEach(System.out::println);
      }
    }
  }

  private static void produce(String bootstrap, int n) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    Random random = new Random(7);
    Instant t0 = Instant.parse("2025-09-22T19:00:00Z");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        String customer = "CUS_" + random.nextInt(10);
        String json =
            String.format(
                "{\"order_id\":%d,\"customer_id\":\"%s\",\"amount\":%s,\"timestamp\":\"%s\"}",
                i,
                customer,
                BigDecimal.valueOf(1 + random.nextInt(99_999), 2).toPlainString(),
                t0.plusMillis(i).plusNanos(random.nextInt(1000) * 1000L));
        producer.send(new ProducerRecord<>("orders", customer, json));
      }
      producer.flush();
    }
  }
}
