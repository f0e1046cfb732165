package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.compose.Stubs.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's credentials service (deploy/compose/docker/credentials.sh), run outside a container
 * with a stand-in for chown (the test is no root): it generates each secret once, keeps it across
 * runs, rotates one on demand, and gives each service exactly the files it reads, 0400 in a 0500
 * folder owned by the user that service runs as.
 */
class CredentialsScriptTest {

  private static final List<String> SECRETS =
      List.of(
          "minio.root-user",
          "minio.root-password",
          "s3.access-key",
          "s3.secret-key",
          "spark.auth-secret",
          "kafka.admin.password",
          "kafka.producer.password",
          "kafka.job.password",
          "kafka.ui.password",
          "producer.rate-token");

  /** Each service volume's files, and the uid of the image that reads them. */
  private static final Map<String, Set<String>> FILES =
      Map.of(
          "kafka", Set.of("broker.properties", "admin.properties"),
          "kafka-init",
              Set.of(
                  "admin.properties",
                  "scram-flowders-admin.properties",
                  "scram-flowders-producer.properties",
                  "scram-flowders-job.properties",
                  "scram-flowders-ui.properties"),
          "kafka-ui", Set.of("kafka-ui-password"),
          "minio", Set.of("root-user", "root-password"),
          "minio-init", Set.of("root-user", "root-password", "job-access-key", "job-secret-key"),
          "spark", Set.of("spark-auth-secret"),
          "spark-job",
              Set.of(
                  "spark-auth-secret", "s3-access-key", "s3-secret-key", "kafka-client.properties"),
          "producer", Set.of("producer.properties"));

  private static final Map<String, String> OWNERS =
      Map.of(
          "kafka", "1000:0",
          "kafka-init", "1000:0",
          "kafka-ui", "100:0",
          "minio", "0:0",
          "minio-init", "0:0",
          "spark", "185:0",
          "spark-job", "185:0",
          "producer", "185:0");

  @TempDir Path tmp;
  private Path store;
  private Path out;
  private Path bin;
  private Path log;

  @BeforeEach
  void stubChown() {
    store = tmp.resolve("credentials");
    out = tmp.resolve("out");
    bin = tmp.resolve("bin");
    log = tmp.resolve("calls.log");
    Stubs.write(bin, "chown", log, List.of(), "");
  }

  /** The folders end 0500: give them back to the temp folder's cleanup. */
  @AfterEach
  void makeWritable() throws IOException {
    if (Files.isDirectory(out)) {
      try (Stream<Path> folders = Files.list(out)) {
        for (Path folder : folders.toList()) {
          Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }
      }
    }
  }

  @Test
  void generatesEverySecretOnceAsDistinctRandomValues() {
    Result result = run("ensure");

    assertThat(result.exitCode()).as(result.output()).isZero();
    Map<String, String> secrets = store();
    assertThat(secrets.keySet()).containsExactlyInAnyOrderElementsOf(SECRETS);
    assertThat(new HashSet<>(secrets.values())).as("all distinct").hasSameSizeAs(SECRETS);
    secrets.forEach(
        (name, value) -> {
          assertThat(value).as(name).containsPattern("[0-9a-f]{12}$");
          assertThat(value.replaceAll("^[a-z-]+-", "")).as(name).hasSizeGreaterThanOrEqualTo(12);
        });
    assertThat(secrets.get("minio.root-password")).matches("[0-9a-f]{48}");
    assertThat(mode(store)).isEqualTo("rwx------");
    secrets
        .keySet()
        .forEach(name -> assertThat(mode(store.resolve(name))).as(name).isEqualTo("rw-------"));
    assertThat(result.output())
        .as("no secret in the log")
        .doesNotContain(secrets.get("minio.root-password"), secrets.get("kafka.admin.password"));
  }

  @Test
  void eachServiceGetsOnlyItsFilesOwnedByItsUserReadOnly() throws IOException {
    assertThat(run("ensure").exitCode()).isZero();

    try (Stream<Path> folders = Files.list(out)) {
      assertThat(folders.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(FILES.keySet());
    }
    for (Map.Entry<String, Set<String>> service : FILES.entrySet()) {
      Path folder = out.resolve(service.getKey());
      try (Stream<Path> files = Files.list(folder)) {
        assertThat(files.map(f -> f.getFileName().toString()))
            .as(service.getKey())
            .containsExactlyInAnyOrderElementsOf(service.getValue());
      }
      assertThat(mode(folder)).as(service.getKey()).isEqualTo("r-x------");
      service
          .getValue()
          .forEach(
              file ->
                  assertThat(mode(folder.resolve(file)))
                      .as(service.getKey() + "/" + file)
                      .isEqualTo("r--------"));
    }
    Map<String, String> owners = new TreeMap<>();
    for (Call call : Stubs.calls(log, "chown")) {
      assertThat(call.args()).hasSize(3).startsWith("-R");
      owners.put(Path.of(call.args().get(2)).getFileName().toString(), call.args().get(1));
    }
    assertThat(owners).isEqualTo(new TreeMap<>(OWNERS));
  }

  @Test
  void filesHoldTheSecretsEachServiceReads() throws IOException {
    assertThat(run("ensure").exitCode()).isZero();
    Map<String, String> secrets = store();

    assertThat(properties("kafka/broker.properties"))
        .containsEntry("admin.password", secrets.get("kafka.admin.password"));
    for (String folder : List.of("kafka", "kafka-init")) {
      assertThat(properties(folder + "/admin.properties"))
          .containsEntry("security.protocol", "SASL_PLAINTEXT")
          .containsEntry("sasl.mechanism", "PLAIN")
          .containsEntry(
              "sasl.jaas.config",
              "org.apache.kafka.common.security.plain.PlainLoginModule required"
                  + " username=\"flowders-admin\" password=\""
                  + secrets.get("kafka.admin.password")
                  + "\";");
    }
    for (String who : List.of("admin", "producer", "job", "ui")) {
      assertThat(properties("kafka-init/scram-flowders-" + who + ".properties"))
          .containsEntry("SCRAM-SHA-512", "password=" + secrets.get("kafka." + who + ".password"));
    }
    assertThat(read("kafka-ui/kafka-ui-password")).isEqualTo(secrets.get("kafka.ui.password"));
    for (String folder : List.of("minio", "minio-init")) {
      assertThat(read(folder + "/root-user")).isEqualTo(secrets.get("minio.root-user"));
      assertThat(read(folder + "/root-password")).isEqualTo(secrets.get("minio.root-password"));
    }
    assertThat(read("minio-init/job-access-key")).isEqualTo(secrets.get("s3.access-key"));
    assertThat(read("minio-init/job-secret-key")).isEqualTo(secrets.get("s3.secret-key"));

    // The job: its own S3 user, never MinIO's root one.
    assertThat(read("spark-job/s3-access-key"))
        .isEqualTo(secrets.get("s3.access-key"))
        .isNotEqualTo(secrets.get("minio.root-user"));
    assertThat(read("spark-job/s3-secret-key"))
        .isEqualTo(secrets.get("s3.secret-key"))
        .isNotEqualTo(secrets.get("minio.root-password"));
    assertThat(read("spark-job/spark-auth-secret")).isEqualTo(secrets.get("spark.auth-secret"));
    assertThat(read("spark/spark-auth-secret")).isEqualTo(secrets.get("spark.auth-secret"));
    assertThat(properties("spark-job/kafka-client.properties"))
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", scramJaas("flowders-job", secrets, "job"));
    assertThat(properties("producer/producer.properties"))
        .containsEntry(
            "kafka.sasl.jaas.config", scramJaas("flowders-producer", secrets, "producer"))
        .containsEntry("orders.rate-token", secrets.get("producer.rate-token"))
        .hasSize(2);
  }

  @Test
  void aSecondRunKeepsEverySecretAndRewritesTheServicesFiles() throws IOException {
    assertThat(run("ensure").exitCode()).isZero();
    Map<String, String> first = store();
    Path ui = out.resolve("kafka-ui");
    Files.setPosixFilePermissions(ui, PosixFilePermissions.fromString("rwx------"));
    Files.delete(ui.resolve("kafka-ui-password"));

    Result second = run("ensure");

    assertThat(second.exitCode()).as(second.output()).isZero();
    assertThat(second.output()).doesNotContain("generated");
    assertThat(store()).isEqualTo(first);
    assertThat(read("kafka-ui/kafka-ui-password")).isEqualTo(first.get("kafka.ui.password"));
  }

  @Test
  void rotateReplacesOneSecretAndItsCopies() {
    assertThat(run("ensure").exitCode()).isZero();
    Map<String, String> before = store();

    Result result = run("rotate", "kafka.producer.password");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("--force-recreate");
    Map<String, String> after = store();
    assertThat(after.get("kafka.producer.password"))
        .isNotEqualTo(before.get("kafka.producer.password"));
    after.remove("kafka.producer.password");
    before.remove("kafka.producer.password");
    assertThat(after).isEqualTo(before);
    assertThat(read("kafka-init/scram-flowders-producer.properties"))
        .contains(store().get("kafka.producer.password"));
  }

  @Test
  void showPrintsOneSecretOrTheNames() {
    assertThat(run("ensure").exitCode()).isZero();

    Result one = run("show", "minio.root-password");
    assertThat(one.exitCode()).isZero();
    assertThat(one.output().strip()).isEqualTo(store().get("minio.root-password"));

    Result names = run("show");
    assertThat(names.output().strip().split("\n")).containsExactlyElementsOf(SECRETS);

    Result unknown = run("show", "no.such");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.output()).contains("no secret 'no.such'", "minio.root-password");
  }

  private Result run(String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("FLOWDERS_CREDENTIALS_STORE", store.toString());
    env.put("FLOWDERS_CREDENTIALS_OUT", out.toString());
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    List<String> command = new ArrayList<>(List.of("bash", Repo.path(Repo.CREDENTIALS).toString()));
    command.addAll(List.of(args));
    return Commands.run(tmp, env, Duration.ofSeconds(30), command);
  }

  private Map<String, String> store() {
    Map<String, String> secrets = new TreeMap<>();
    try (Stream<Path> files = Files.list(store)) {
      for (Path file : files.toList()) {
        secrets.put(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return secrets;
  }

  private String read(String relative) {
    try {
      return Files.readString(out.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Properties properties(String relative) throws IOException {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(out.resolve(relative))) {
      properties.load(reader);
    }
    return properties;
  }

  private static String scramJaas(String user, Map<String, String> secrets, String who) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + secrets.get("kafka." + who + ".password")
        + "\";";
  }

  private static String mode(Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
