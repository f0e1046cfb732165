package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.sink.IcebergTables;
import io.flowders.sink.TestSpark;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.Runtimes;
import io.flowders.stack.S3Server;
import io.flowders.stack.SparkCluster;
import io.flowders.stack.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit artifact as a user runs it: {@code bin/spark-submit} of a stock SPARK_HOME (the
 * assembled one: Spark's jars and launcher only) sends the job jar to a standalone cluster with
 * {@code --class} and Spark confs only. Settings come as {@code spark.flowders.*}, S3A's endpoint
 * and credential provider as the user's own {@code spark.hadoop.fs.s3a.*}, the secrets from an
 * owner-only properties file; the executors get no classpath but Spark's, as on other hosts.
 */
class SparkSubmitIT {

  private static final Instant T0 = Instant.parse("2025-09-22T21:00:00Z");
  private static final Duration SUBMIT_TIMEOUT = Duration.ofMinutes(6);
  private static final String CATALOG = "submitted";

  private static KafkaCluster kafka;
  private static S3Server s3;
  private static SparkCluster cluster;
  private static Path dir;
  private static String topic;
  private static String warehouse;

  @BeforeAll
  static void start() throws IOException {
    kafka = KafkaCluster.shared();
    s3 = S3Server.shared();
    // One worker, two one-core executors of 512 MB: small, and still more than one JVM to feed.
    cluster =
        SparkCluster.builder().freePorts().workers(1).workerCores(2).workerMemory("1g").build();
    cluster.start();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    topic = "submitted-orders-" + suffix;
    StackConfig stack = StackConfig.load();
    kafka.createOrdersTopic(topic);
    // A warehouse of its own: other tests of this JVM write lake.flowders in the default one.
    warehouse = "s3a://" + stack.s3Bucket() + "/submitted-" + suffix;
    dir = Files.createTempDirectory("flowders-submit-it");
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      try (Stream<Path> paths = Files.walk(dir)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theSubmittedJarCountsEveryOrderOnceOnExecutorsWithoutAClassPathOfTheirOwn()
      throws Exception {
    TopicOrders orders = new TopicOrders(kafka.bootstrapServers(), topic);
    try (orders) {
      List<TopicOrders.Sent> sent = orders.sendNew(300, T0);
      orders.resend(sent.subList(0, 10));
      orders.sendMalformed("{\"order_id\":1,\"customer_id\":\"CUS_1\",\"amount\":-1.00}");
      orders.flush();
    }

    long started = System.nanoTime();
    Process submit = submit("--once").start();
    boolean exited = submit.waitFor(SUBMIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      submit.destroyForcibly().waitFor();
    }
    String log = Files.readString(dir.resolve("spark-submit.log"));
    System.out.printf(
        "spark-submit --once: exit %s in %.1f s%n",
        exited ? submit.exitValue() : "none (killed)", (System.nanoTime() - started) / 1e9);
    assertThat(exited).as("spark-submit ended within %s:%n%s", SUBMIT_TIMEOUT, log).isTrue();
    assertThat(submit.exitValue()).as(log).isZero();

    SparkSession spark = readerSession();
    IcebergTables tables = new IcebergTables(CATALOG + ".flowders");
    assertThat(TestSpark.asMap(spark.table(tables.totals()))).isEqualTo(orders.expectedTotals());
    assertThat(spark.table(tables.orders()).count()).isEqualTo(orders.uniqueOrders());
    assertThat(spark.table(tables.rejected()).count()).isEqualTo(1);

    List<String> executorCommands = executorCommands();
    assertThat(executorCommands).as("executors that ran the job").isNotEmpty();
    assertThat(executorCommands)
        .allSatisfy(
            command ->
                assertThat(command)
                    .contains(cluster.sparkHome().resolve("jars").toString())
                    .doesNotContain("streaming-job", "extraClassPath"));
  }

  /**
   * spark-submit from the assembled SPARK_HOME, in a clean environment: no FLOWDERS_* variable, so
   * every setting comes from the Spark conf.
   */
  private static ProcessBuilder submit(String... jobArgs) throws IOException {
    Path secrets = dir.resolve("secrets.conf");
    Files.createFile(
        secrets,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        secrets,
        String.join(
            "\n",
            "spark.authenticate.secret " + cluster.authSecret(),
            "spark.hadoop.fs.s3a.access.key " + s3.accessKey(),
            "spark.hadoop.fs.s3a.secret.key " + s3.secretKey(),
            ""));
    List<String> command =
        new ArrayList<>(
            List.of(
                Runtimes.sparkHome().resolve("bin/spark-submit").toString(),
                "--master",
                cluster.masterUrl(),
                "--class",
                OrdersJob.class.getName(),
                "--properties-file",
                secrets.toString(),
                "--conf",
                "spark.authenticate=true",
                "--conf",
                "spark.driver.memory=768m",
                "--conf",
                "spark.executor.memory=512m",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.hadoop.fs.s3a.endpoint=" + s3.endpoint(),
                "--conf",
                "spark.hadoop.fs.s3a.aws.credentials.provider="
                    + "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "--conf",
                "spark.flowders.kafkaBootstrap=" + kafka.bootstrapServers(),
                "--conf",
                "spark.flowders.topic=" + topic,
                "--conf",
                "spark.flowders.warehouse=" + warehouse,
                "--conf",
                "spark.flowders.checkpoint=" + dir.resolve("checkpoint"),
                "--conf",
                "spark.flowders.kafka.client.id=flowders-submit-it",
                sparkJar()));
    command.addAll(List.of(jobArgs));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("FLOWDERS_"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("spark-submit.log").toFile());
  }

  /** The spark-submit artifact, from failsafe's system property or this module's target folder. */
  private static String sparkJar() {
    return System.getProperty(
        "flowders.job.spark-jar",
        Path.of("target/flowders-streaming-job-0.1.0-SNAPSHOT-spark.jar")
            .toAbsolutePath()
            .toString());
  }

  /** This JVM's session, reading the submitted job's warehouse as catalog {@link #CATALOG}. */
  private static SparkSession readerSession() {
    SparkSession spark =
        SparkSessions.builder(
                JobConfig.load(
                    Map.of(
                        JobConfig.S3_ENDPOINT, s3.endpoint(),
                        JobConfig.S3_ACCESS_KEY, s3.accessKey(),
                        JobConfig.S3_SECRET_KEY, s3.secretKey(),
                        JobConfig.SPARK_MASTER, "local[2]")))
            .config("spark.ui.enabled", "false")
            .getOrCreate();
    String catalog = "spark.sql.catalog." + CATALOG;
    spark.conf().set(catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set(catalog + ".type", "hadoop");
    spark.conf().set(catalog + ".warehouse", warehouse);
    spark.conf().set(catalog + ".cache-enabled", "false");
    return spark;
  }

  /** The launch commands the worker logged for this test's executors. */
  private static List<String> executorCommands() throws IOException {
    List<String> commands = new ArrayList<>();
    try (Stream<Path> files = Files.walk(cluster.workDir())) {
      for (Path stderr : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
        Files.readAllLines(stderr).stream()
            .filter(line -> line.startsWith("Spark Executor Command:"))
            .forEach(commands::add);
      }
    }
    return commands;
  }
}
