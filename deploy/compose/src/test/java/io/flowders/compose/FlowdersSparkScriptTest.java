package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.compose.Stubs.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark image's entrypoint, run with stand-ins for Spark's launchers: which process each role
 * starts, the secrets it hands them (from the credentials service's files, through the environment,
 * never on a command line), and the spark-defaults.conf that gives spark-sql the catalog, from
 * compose's environment.
 */
class FlowdersSparkScriptTest {

  private static final String MASTER_URL = "spark://spark-master:7077";
  private static final String ENDPOINT = "http://minio:9000";
  private static final String SPARK_SECRET = "spark-secret-4f1c";
  private static final String JOB_ACCESS_KEY = "flowders-job-9a2b";
  private static final String JOB_SECRET_KEY = "job-s3-secret-77d0";
  private static final List<String> LOGGED_ENV =
      List.of(
          "FLOWDERS_SPARK_MASTER",
          "_SPARK_AUTH_SECRET",
          "FLOWDERS_SPARK_AUTH_SECRET",
          "FLOWDERS_S3_ACCESS_KEY",
          "FLOWDERS_S3_SECRET_KEY",
          "FLOWDERS_KAFKA_PROPERTIES");

  @TempDir Path tmp;
  private Path sparkHome;
  private Path flowdersHome;
  private Path clusterSecrets;
  private Path jobSecrets;
  private Path log;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeEach
  void stubSpark() throws IOException {
    sparkHome = tmp.resolve("spark");
    flowdersHome = tmp.resolve("flowders");
    log = tmp.resolve("calls.log");
    Files.createDirectories(sparkHome.resolve("conf"));
    Files.createDirectories(flowdersHome.resolve("deploy"));
    Files.copy(Repo.path(Repo.SETTINGS_FILE), flowdersHome.resolve(Repo.SETTINGS_FILE));
    for (String launcher : List.of("spark-class", "spark-submit", "spark-sql")) {
      Stubs.write(sparkHome.resolve("bin"), launcher, log, LOGGED_ENV, "");
    }
    // The volumes compose mounts: spark-secrets (master, workers), spark-job-secrets (the job's).
    clusterSecrets = Files.createDirectories(tmp.resolve("spark-secrets"));
    Files.writeString(clusterSecrets.resolve("spark-auth-secret"), SPARK_SECRET);
    jobSecrets = Files.createDirectories(tmp.resolve("spark-job-secrets"));
    Files.writeString(jobSecrets.resolve("spark-auth-secret"), SPARK_SECRET);
    Files.writeString(jobSecrets.resolve("s3-access-key"), JOB_ACCESS_KEY);
    Files.writeString(jobSecrets.resolve("s3-secret-key"), JOB_SECRET_KEY);
    Files.writeString(
        jobSecrets.resolve("kafka-client.properties"), "security.protocol=SASL_PLAINTEXT\n");
  }

  /**
   * Spark reads _SPARK_AUTH_SECRET before spark.authenticate.secret (master, workers, and the
   * executors a worker starts); the job sets the conf from FLOWDERS_SPARK_AUTH_SECRET.
   */
  @Test
  void everyRoleAuthenticatesWithTheSecretFromItsFileNeverOnACommandLine() throws IOException {
    List<List<String>> roles =
        List.of(
            List.of("master"),
            List.of("worker", "1"),
            List.of("job"),
            List.of("sql"),
            List.of("verify"));
    for (List<String> role : roles) {
      Path secrets =
          role.get(0).equals("master") || role.get(0).equals("worker")
              ? clusterSecrets
              : jobSecrets;
      Map<String, String> env = compose(secrets);
      Result result = run(env, role.toArray(String[]::new));
      assertThat(result.exitCode()).as("%s: %s", role, result.output()).isZero();
      assertThat(result.output()).as("%s", role).doesNotContain(SPARK_SECRET, JOB_SECRET_KEY);
      assertThat(sparkDefaults())
          .as("%s", role)
          .containsEntry("spark.authenticate", "true")
          .doesNotContainKey("spark.authenticate.secret");
    }
    List<Call> calls = new ArrayList<>();
    for (String launcher : List.of("spark-class", "spark-submit", "spark-sql")) {
      calls.addAll(Stubs.calls(log, launcher));
    }
    assertThat(calls).hasSameSizeAs(roles);
    for (Call call : calls) {
      assertThat(call.env()).containsEntry("_SPARK_AUTH_SECRET", SPARK_SECRET);
      assertThat(String.join(" ", call.args())).doesNotContain(SPARK_SECRET, JOB_SECRET_KEY);
    }
  }

  @Test
  void theJobGetsItsOwnS3KeysAndKafkaLoginFromItsFiles() throws IOException {
    assertThat(run(compose(jobSecrets), "job").exitCode()).isZero();

    assertThat(onlyCall("spark-submit").env())
        .containsEntry("FLOWDERS_SPARK_AUTH_SECRET", SPARK_SECRET)
        .containsEntry("FLOWDERS_S3_ACCESS_KEY", JOB_ACCESS_KEY)
        .containsEntry("FLOWDERS_S3_SECRET_KEY", JOB_SECRET_KEY)
        .containsEntry(
            "FLOWDERS_KAFKA_PROPERTIES", jobSecrets.resolve("kafka-client.properties").toString());
  }

  @Test
  void masterAndWorkersHoldNoS3Key() throws IOException {
    for (List<String> role : List.of(List.of("master"), List.of("worker", "2"))) {
      assertThat(run(compose(clusterSecrets), role.toArray(String[]::new)).exitCode()).isZero();
      assertThat(sparkDefaults())
          .as("%s", role)
          .doesNotContainKeys("spark.hadoop.fs.s3a.access.key", "spark.hadoop.fs.s3a.secret.key");
    }
    assertThat(Stubs.calls(log, "spark-class"))
        .allSatisfy(call -> assertThat(call.env()).containsEntry("FLOWDERS_S3_SECRET_KEY", ""));
  }

  @Test
  void withoutTheSparkSecretNothingStarts() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("no-secrets"));
    for (String role : List.of("master", "job", "sql")) {
      Result result = run(compose(empty), role);

      assertThat(result.exitCode()).as(role).isEqualTo(2);
      assertThat(result.output()).contains("spark-auth-secret", "credentials");
    }
    assertThat(log).doesNotExist();
  }

  @Test
  void sqlGetsTheLakeCatalogOverS3aFromTheEnvironment() throws IOException {
    assertThat(run(compose(jobSecrets), "sql", "-e", "SELECT 1").exitCode()).isZero();

    assertThat(onlyCall("spark-sql").args())
        .containsSubsequence("--master", "local[2]")
        .containsSubsequence("--driver-class-path", flowdersHome + "/flowders-streaming-job.jar")
        .endsWith("-e", "SELECT 1");
    assertThat(sparkDefaults())
        .containsEntry("spark.sql.catalog.lake", "org.apache.iceberg.spark.SparkCatalog")
        .containsEntry("spark.sql.catalog.lake.type", "hadoop")
        .containsEntry("spark.sql.catalog.lake.warehouse", settings.get("FLOWDERS_WAREHOUSE"))
        .containsEntry("spark.sql.catalog.lake.cache-enabled", "false")
        .containsEntry(
            "spark.sql.extensions",
            "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .containsEntry("spark.hadoop.fs.s3a.endpoint", ENDPOINT)
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
        .containsEntry("spark.hadoop.fs.s3a.access.key", JOB_ACCESS_KEY)
        .containsEntry("spark.hadoop.fs.s3a.secret.key", JOB_SECRET_KEY);
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(sparkHome.resolve("conf/spark-defaults.conf"))))
        .as("it holds the job's S3 secret")
        .isEqualTo("rw-------");
  }

  @Test
  void settingsTheEnvironmentLacksComeFromTheImagesCopyOfTheSharedFile() throws IOException {
    Map<String, String> env = compose(clusterSecrets);
    env.put("FLOWDERS_S3_ENDPOINT", "https://s3.example.test");
    env.put("FLOWDERS_WAREHOUSE", null);
    assertThat(run(env, "sql").exitCode()).isZero();

    assertThat(sparkDefaults())
        .containsEntry("spark.sql.catalog.lake.warehouse", settings.get("FLOWDERS_WAREHOUSE"))
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "https://s3.example.test")
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "true");
  }

  @Test
  void masterListensOnTheHostAndPortOfTheMasterUrl() {
    assertThat(run(compose(clusterSecrets), "master").exitCode()).isZero();

    assertThat(onlyCall("spark-class").args())
        .containsExactly(
            "org.apache.spark.deploy.master.Master",
            "--host",
            "spark-master",
            "--port",
            "7077",
            "--webui-port",
            settings.get("FLOWDERS_SPARK_MASTER_UI_PORT"));
  }

  @Test
  void workerNTakesTheNthUiPortAndTheSharedCoresAndMemory() {
    assertThat(run(compose(clusterSecrets), "worker", "2").exitCode()).isZero();

    assertThat(onlyCall("spark-class").args())
        .containsExactly(
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "spark-worker-2",
            "--cores",
            settings.get("FLOWDERS_SPARK_WORKER_CORES"),
            "--memory",
            settings.get("FLOWDERS_SPARK_WORKER_MEMORY"),
            "--webui-port",
            settings.get("FLOWDERS_SPARK_WORKER_UI_PORTS").split(",")[1],
            "--work-dir",
            sparkHome + "/work",
            MASTER_URL);
  }

  @Test
  void noUiOffersKillLinks() throws IOException {
    for (List<String> role : List.of(List.of("master"), List.of("worker", "1"), List.of("job"))) {
      assertThat(run(compose(clusterSecrets), role.toArray(String[]::new)).exitCode())
          .as("%s", role)
          .isZero();
      assertThat(sparkDefaults()).as("%s", role).containsEntry("spark.ui.killEnabled", "false");
    }
  }

  @Test
  void aWorkerWithoutAUiPortIsRefused() {
    Result result = run(compose(clusterSecrets), "worker", "3");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.output()).contains("no worker 3");
    assertThat(Stubs.calls(log, "spark-class")).isEmpty();
  }

  @Test
  void jobIsSubmittedToTheMasterWithFourOneCoreExecutors() {
    assertThat(run(compose(clusterSecrets), "job", "--once").exitCode()).isZero();

    Call submit = onlyCall("spark-submit");
    assertThat(submit.args())
        .containsSubsequence("--master", MASTER_URL)
        .containsSubsequence("--deploy-mode", "client")
        .containsSubsequence("--class", "io.flowders.job.OrdersJob")
        .contains(
            "spark.driver.host=spark-worker-2",
            // The UI and the job's metrics endpoint bind it: compose publishes their ports.
            "spark.driver.bindAddress=0.0.0.0",
            "spark.executor.cores=1",
            "spark.cores.max=" + settings.get("FLOWDERS_SPARK_EXECUTORS"),
            "spark.executor.memory=" + settings.get("FLOWDERS_SPARK_EXECUTOR_MEMORY"),
            "spark.ui.port=" + settings.get("FLOWDERS_SPARK_UI_PORT"))
        .endsWith(flowdersHome + "/flowders-streaming-job.jar", "--once");
    assertThat(submit.env()).containsEntry("FLOWDERS_SPARK_MASTER", MASTER_URL);
  }

  @Test
  void executorsGetTheJobsJarFromSparkNotFromAClassPathOfTheImage() throws IOException {
    for (List<String> role : List.of(List.of("job"), List.of("worker", "1"), List.of("sql"))) {
      assertThat(run(compose(jobSecrets), role.toArray(String[]::new)).exitCode())
          .as("%s", role)
          .isZero();
      assertThat(sparkDefaults())
          .as("%s", role)
          .doesNotContainKeys("spark.driver.extraClassPath", "spark.executor.extraClassPath");
    }
  }

  @Test
  void verifyRunsInLocalModeBesideTheJobThatHoldsTheClusterCores() {
    assertThat(run(compose(clusterSecrets), "verify").exitCode()).isZero();

    Call submit = onlyCall("spark-submit");
    assertThat(submit.args())
        .containsSubsequence("--master", "local[2]")
        .containsSubsequence(
            "--class", "io.flowders.verify.Verify", flowdersHome + "/flowders-streaming-job.jar");
    assertThat(submit.env())
        .as("the job's own settings must not send it to the cluster")
        .containsEntry("FLOWDERS_SPARK_MASTER", "local[2]");
  }

  @Test
  void helpStartsNothing() {
    Result result = run(compose(clusterSecrets), "help");

    assertThat(result.exitCode()).isZero();
    assertThat(result.output()).contains("master", "worker N", "job", "sql", "verify");
    assertThat(log).doesNotExist();
    assertThat(sparkHome.resolve("conf/spark-defaults.conf")).doesNotExist();
  }

  /**
   * What docker-compose.yml gives a Spark container: the shared file, then its overrides, and the
   * folder of its secrets volume.
   */
  private Map<String, String> compose(Path secrets) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("FLOWDERS_KAFKA_BOOTSTRAP", "kafka1:19092,kafka2:19092,kafka3:19092");
    env.put("FLOWDERS_S3_ENDPOINT", ENDPOINT);
    env.put("FLOWDERS_SPARK_MASTER", MASTER_URL);
    env.put("FLOWDERS_SECRETS", secrets.toString());
    env.put("HOSTNAME", "spark-worker-2");
    return env;
  }

  private Result run(Map<String, String> env, String... args) {
    Map<String, String> processEnv = new HashMap<>();
    System.getenv().keySet().stream()
        .filter(key -> key.startsWith("FLOWDERS_"))
        .forEach(key -> processEnv.put(key, null));
    processEnv.putAll(env);
    processEnv.put("SPARK_HOME", sparkHome.toString());
    processEnv.put("FLOWDERS_HOME", flowdersHome.toString());
    List<String> command =
        new ArrayList<>(List.of("bash", Repo.path(Repo.SPARK_ENTRYPOINT).toString()));
    command.addAll(List.of(args));
    return Commands.run(tmp, processEnv, Duration.ofSeconds(30), command);
  }

  private Call onlyCall(String launcher) {
    List<Call> calls = Stubs.calls(log, launcher);
    assertThat(calls).as(launcher + " calls").hasSize(1);
    return calls.get(0);
  }

  private Map<String, String> sparkDefaults() throws IOException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(sparkHome.resolve("conf/spark-defaults.conf"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] kv = line.split(" ", 2);
        values.put(kv[0], kv[1]);
      }
    }
    return values;
  }
}
