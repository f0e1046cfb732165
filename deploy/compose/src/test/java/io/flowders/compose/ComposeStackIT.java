package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * `docker compose up --build` end to end, wherever a Docker engine exists: the images build, the
 * topic is the contract's, orders flow, rows reach lake.flowders.customer_minute_totals, and verify
 * agrees once the producer stops. Skipped, at once, where no engine answers (as on our machines).
 * Every probe runs inside the containers (`docker compose exec`), so it needs no host port but the
 * ones the stack publishes, which must be free.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

  private static final Duration BUILD_AND_START = Duration.ofMinutes(30);
  private static final Duration FLOW = Duration.ofMinutes(5);
  private static final Duration POLL = Duration.ofSeconds(5);
  private static final String TABLE = "lake.flowders.customer_minute_totals";
  private static final List<Integer> PUBLISHED_PORTS =
      List.of(9092, 9093, 9094, 8888, 7077, 8090, 8091, 8092, 4040, 9464, 9000, 9001, 8080);
  private static final Pattern OFFSET = Pattern.compile("(?m)^[^:\\s]+:\\d+:(\\d+)$");

  /**
   * The admin tools' way into the cluster inside the network (README): the brokers' PLAIN listener,
   * with the client config the credentials service gave the brokers.
   */
  private static final List<String> ADMIN =
      List.of(
          "--bootstrap-server",
          "kafka1:19094",
          "--command-config",
          "/run/secrets/flowders/admin.properties");

  /** MinIO's data in a volume `down -v` deletes, not in the user's warehouse/minio. */
  private static final String OVERRIDE = "compose-it.yml";

  private static ComposeContainer stack;
  private static String skipReason;
  private static long startedAt;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeAll
  static void startStack() {
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      skipReason =
          "no Docker engine: the compose stack is checked statically here (ComposeFileTest,"
              + " ComposeConfigTest, *ScriptTest) and runs end to end wherever Docker exists";
      return;
    }
    for (int port : PUBLISHED_PORTS) {
      if (!free(port)) {
        skipReason =
            "host port " + port + " is taken (./flowders up or another compose stack running?)";
        return;
      }
    }
    long begin = System.nanoTime();
    stack =
        new ComposeContainer(Repo.path(Repo.COMPOSE_FILE).toFile(), testOverride())
            .withLocalCompose(
                Commands.firstWorking(List.of(List.of("docker", "compose"))).isPresent())
            .withBuild(true)
            .withPull(false)
            .waitingFor("streaming-job", Wait.forHealthcheck().withStartupTimeout(BUILD_AND_START))
            .waitingFor("producer", Wait.forHealthcheck().withStartupTimeout(BUILD_AND_START));
    stack.start();
    startedAt = System.nanoTime();
    System.out.printf(
        "compose stack built and healthy in %d s%n",
        Duration.ofNanos(startedAt - begin).toSeconds());
  }

  @BeforeEach
  void requireStack() {
    assumeTrue(stack != null, skipReason);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.stop();
    }
  }

  @Test
  @Order(1)
  void kafkaInitCreatedTheContractTopic() throws Exception {
    String description =
        exec(
            "kafka1",
            kafkaTool("kafka-topics.sh", "--describe", "--topic", settings.get("FLOWDERS_TOPIC")));

    assertThat(description)
        .contains(
            "PartitionCount: " + settings.get("FLOWDERS_TOPIC_PARTITIONS"),
            "ReplicationFactor: " + settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"),
            "min.insync.replicas=" + settings.get("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"));
  }

  @Test
  @Order(2)
  void ordersFlowIntoTheTopic() throws Exception {
    long first = topicEnd();
    long later = awaitValue("the topic to grow past " + first, this::topicEnd, end -> end > first);

    assertThat(later).isGreaterThan(first);
  }

  @Test
  @Order(3)
  void aggregatesReachTheIcebergTable() throws Exception {
    long rows =
        awaitValue("rows in " + TABLE, () -> count("SELECT count(*) FROM " + TABLE), n -> n > 0);

    assertThat(rows).isPositive();
    System.out.printf(
        "first rows in %s %d s after the stack was healthy%n",
        TABLE, Duration.ofNanos(System.nanoTime() - startedAt).toSeconds());
  }

  /** From the host, through the ports compose publishes on 127.0.0.1 (README, "Metrics"). */
  @Test
  @Order(4)
  void theJobsAndSparksPrometheusEndpointsAnswerOnTheHost() throws Exception {
    String job =
        awaitValue(
            "the job's metrics to count orders",
            () ->
                httpGet(
                    "http://127.0.0.1:" + settings.get("FLOWDERS_JOB_METRICS_PORT") + "/metrics"),
            text -> text.matches("(?s).*\nflowders_job_orders_accepted_total [1-9].*"));
    String spark =
        httpGet(
            "http://127.0.0.1:" + settings.get("FLOWDERS_SPARK_UI_PORT") + "/metrics/prometheus/");

    assertThat(job).contains("flowders_job_freshness_seconds ");
    assertThat(spark).contains("metrics_flowders_driver_spark_streaming_flowders_orders_");
  }

  @Test
  @Order(5)
  void verifyAgreesWithTheTopicOnceTheProducerStops() throws Exception {
    String producer = service("producer").getContainerId();
    DockerClientFactory.instance().client().stopContainerCmd(producer).exec();

    long exitCode =
        awaitValue(
            "verify to find the table equal to the topic",
            () ->
                (long)
                    service("streaming-job")
                        .execInContainer("flowders-spark", "verify")
                        .getExitCode(),
            code -> code == 0);

    assertThat(exitCode).isZero();
  }

  /** The body of a 200 answer; empty otherwise (not up yet). */
  private static String httpGet(String url) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? response.body() : "";
  }

  /** The sum of the topic's end offsets: every order the producer had acknowledged. */
  private long topicEnd() throws Exception {
    Matcher matcher =
        OFFSET.matcher(
            exec(
                "kafka1",
                kafkaTool("kafka-get-offsets.sh", "--topic", settings.get("FLOWDERS_TOPIC"))));
    long sum = 0;
    while (matcher.find()) {
      sum += Long.parseLong(matcher.group(1));
    }
    return sum;
  }

  /**
   * A one-number query through the image's spark-sql, on the catalog the entrypoint preset, in the
   * job's container: the one that holds an S3 key.
   */
  private long count(String sql) throws Exception {
    ExecResult result =
        service("streaming-job").execInContainer("flowders-spark", "sql", "-S", "-e", sql);
    String out = result.getStdout().strip();
    return result.getExitCode() == 0 && out.matches("\\d+") ? Long.parseLong(out) : -1;
  }

  private static String[] kafkaTool(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of("/opt/kafka/bin/" + tool));
    command.addAll(ADMIN);
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  private String exec(String service, String... command) throws IOException, InterruptedException {
    ExecResult result = service(service).execInContainer(command);
    assertThat(result.getExitCode())
        .as(String.join(" ", command) + "\n" + result.getStderr())
        .isZero();
    return result.getStdout();
  }

  private static ContainerState service(String name) {
    return stack
        .getContainerByServiceName(name)
        .orElseThrow(() -> new AssertionError("no container for " + name));
  }

  private interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until the value satisfies the condition; fails with the last value at the deadline. */
  private static <T> T awaitValue(String what, Probe<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + FLOW.toNanos();
    T value = probe.get();
    while (!done.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited " + FLOW.toSeconds() + " s for " + what + "; last value " + value);
      }
      Thread.sleep(POLL.toMillis());
      value = probe.get();
    }
    return value;
  }

  private static File testOverride() {
    try {
      return new File(ComposeStackIT.class.getClassLoader().getResource(OVERRIDE).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket(port)) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}
