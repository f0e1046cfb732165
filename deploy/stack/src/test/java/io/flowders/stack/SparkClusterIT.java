package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.settings.FlowdersSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {

  private static final Duration APP_TIMEOUT = Duration.ofMinutes(4);

  /** Spark's driver retries a refused registration for a minute: the first refusal tells. */
  private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(60);

  private static final Pattern APPLICATION_ID = Pattern.compile("\"id\"\\s*:\\s*\"app-");

  static SparkCluster spark;
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    spark = SparkCluster.builder().freePorts().build().start();
    System.out.printf(
        "SparkCluster: master and 2 workers ALIVE in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    spark.close();
  }

  @Test
  @Order(1)
  void masterReportsTwoAliveWorkers() {
    assertThat(spark.aliveWorkers()).isEqualTo(2);
    assertThat(spark.masterUrl()).startsWith("spark://127.0.0.1:");
    assertThat(spark.workerUiUrls()).hasSize(2);
  }

  @Test
  @Order(2)
  void anApplicationWithTheSecretRunsItsTasksInExecutorsAndCannotBeKilledFromTheUi()
      throws Exception {
    Path hold = Files.createTempFile("flowders-spark-it", ".hold");
    Files.delete(hold);
    long started = System.nanoTime();
    try (JvmProcess driver = driver(spark.authSecret(), hold.toString()).start()) {
      Await.until(
          APP_TIMEOUT,
          () -> driver.logContains("count="),
          () -> driver.isAlive() ? null : "the driver exited:\n" + driver.log(),
          reason -> new IllegalStateException("no count: " + reason));
      System.out.printf(
          "SparkCluster: a 4-task job on 2 executors took %.1f s%n",
          (System.nanoTime() - started) / 1e9);
      assertThat(driver.log()).contains("count=1000");

      // The application is still open: the master's page lists it, without a kill form.
      String masterPage = get(spark.masterUiUrl() + "/");
      assertThat(masterPage).contains(SparkRangeCount.APP_NAME).doesNotContain("app/kill");

      Files.createFile(hold);
      assertThat(driver.awaitExit()).isZero();
    } finally {
      Files.deleteIfExists(hold);
    }
  }

  @Test
  @Order(3)
  void theMasterRefusesAnApplicationWithoutTheSecret() {
    assertRefused("", "maybe your client does not have SASL enabled");
  }

  @Test
  @Order(4)
  void theMasterRefusesAnApplicationWithAnotherSecret() {
    assertRefused(Credentials.generate(), "Mismatched response");
  }

  @Test
  @Order(5)
  void theSecretIsOnNoCommandLineAndInNoFile() throws IOException {
    String secret = spark.authSecret();
    for (long pid : spark.pids()) {
      List<String> arguments =
          List.of(ProcessHandle.of(pid).orElseThrow().info().arguments().orElseThrow());
      assertThat(arguments).as("pid %d", pid).contains("-Dspark.authenticate=true");
      assertThat(String.join(" ", arguments)).as("pid %d", pid).doesNotContain(secret);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(spark.workDir())) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    // Each executor's stderr starts with its command line, as its worker launched it.
    List<Path> executorLogs =
        files.stream()
            .filter(f -> f.getFileName().toString().equals("stderr"))
            .filter(f -> read(f).startsWith("Spark Executor Command:"))
            .toList();
    assertThat(executorLogs).hasSize(2);
    assertThat(executorLogs)
        .allSatisfy(log -> assertThat(read(log)).contains("\"-Dspark.authenticate=true\""));
    assertThat(files)
        .isNotEmpty()
        .allSatisfy(file -> assertThat(read(file)).as("%s", file).doesNotContain(secret));
  }

  @Test
  @Order(6)
  void closeLeavesNoProcess() {
    List<Long> pids = spark.pids();

    spark.close();

    assertThat(pids)
        .hasSize(3)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
  }

  /**
   * A driver with {@code secret} (blank: none) fails to connect to the master, which the master
   * logs as an authentication error, and never registers an application.
   */
  private static void assertRefused(String secret, String masterSays) {
    long applications = applications();
    long started = System.nanoTime();
    String refused = "Failed to connect to master " + spark.masterUrl().substring(8);
    try (JvmProcess driver = driver(secret).start()) {
      Await.until(
          REFUSAL_TIMEOUT,
          () -> driver.logContains(refused),
          () -> driver.isAlive() ? null : "the driver exited:\n" + driver.log(),
          reason -> new IllegalStateException("not refused: " + reason));
      System.out.printf(
          "SparkCluster: an application %s refused %.1f s after its JVM started%n",
          secret.isBlank() ? "without the secret" : "with another secret",
          (System.nanoTime() - started) / 1e9);
      assertThat(driver.log()).contains(masterSays).doesNotContain("count=");
      driver.kill();
    }
    assertThat(read(spark.workDir().resolve("spark-master.log"))).contains(masterSays);
    assertThat(applications()).isEqualTo(applications);
  }

  /** {@link SparkRangeCount} on the cluster, authenticating with {@code secret} if not blank. */
  private static JvmProcess.Builder driver(String secret, String... args) {
    return JvmProcess.builder(SparkRangeCount.class.getName())
        .name("spark-range-count")
        .classpath(
            spark.sparkHome().resolve("conf").toString(),
            spark.sparkHome().resolve("jars/*").toString(),
            JvmProcessIT.location(SparkRangeCount.class),
            JvmProcessIT.location(FlowdersSettings.class))
        .heap("512m")
        .jvmArgs(SparkDriver.javaOptions(FlowdersHome.root()).toArray(String[]::new))
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        // Set even when blank: an exported secret must not reach the driver that has none.
        .env(FlowdersSettings.SPARK_AUTH_SECRET.name(), secret)
        .args(spark.masterUrl())
        .args(args);
  }

  /** Applications the master registered, running or completed. */
  private static long applications() {
    return APPLICATION_ID.matcher(get(spark.masterUiUrl() + "/json/")).results().count();
  }

  private static String get(String url) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(url).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
