package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.ComposeFile.Mount;
import io.flowders.compose.ComposeFile.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What docker-compose.yml promises about secrets: none is committed, a one-shot service generates
 * them before anything else starts, each service mounts only its own files read-only and reads them
 * from there, Kafka authenticates and authorizes every client, Kafka UI is read-only, the job's S3
 * identity is not MinIO's root.
 */
class ComposeSecurityTest {

  private static final String CREDENTIALS = "credentials";
  private static final String SECRETS_MOUNT = "/run/secrets/flowders";

  /**
   * Each service's secrets volume: services share one only where they run one role (the brokers;
   * the Spark master and workers).
   */
  private static final Map<String, String> SECRETS_VOLUMES =
      Map.ofEntries(
          Map.entry("kafka1", "kafka-secrets"),
          Map.entry("kafka2", "kafka-secrets"),
          Map.entry("kafka3", "kafka-secrets"),
          Map.entry("kafka-init", "kafka-init-secrets"),
          Map.entry("kafka-ui", "kafka-ui-secrets"),
          Map.entry("minio", "minio-secrets"),
          Map.entry("minio-init", "minio-init-secrets"),
          Map.entry("spark-master", "spark-secrets"),
          Map.entry("spark-worker-1", "spark-secrets"),
          Map.entry("spark-worker-2", "spark-secrets"),
          Map.entry("streaming-job", "spark-job-secrets"),
          Map.entry("producer", "producer-secrets"));

  /** Values this repo once committed as passwords. */
  private static final List<String> FORMER_SECRETS =
      List.of("flowders-minio-example-only", "flowders-local-secret", "minioadmin");

  private static final String SECRET_KEY = "[\\w.-]*(?:password|secret|token)[\\w.-]*";

  /**
   * A password, secret or token given a value in place: KEY=VALUE, key="VALUE" or a YAML line KEY:
   * VALUE. What follows is a value unless it refers to something else: a variable ($...), a format
   * (%s), a path or nothing.
   */
  private static final Pattern LITERAL_SECRET =
      Pattern.compile(
          "(?im)(?:^[ \t-]*"
              + SECRET_KEY
              + "[ \t]*:|"
              + SECRET_KEY
              + "[\"']?[ \t]*=)"
              + "[ \t]*[\"']?(?![$%/\"'(\\s])[A-Za-z0-9+_.-]{4,}");

  private final ComposeFile compose = ComposeFile.read();

  @Test
  void theSecretDetectorFlagsALiteralPasswordAndPassesReferences() {
    assertThat(literalSecrets("MINIO_ROOT_PASSWORD=flowders-minio-example-only"))
        .containsExactly("MINIO_ROOT_PASSWORD=flowders-minio-example-only");
    assertThat(literalSecrets("  FLOWDERS_S3_SECRET_KEY: s3cr3t-value")).hasSize(1);
    assertThat(literalSecrets("password=\"hunter22\";")).hasSize(1);
    assertThat(
            literalSecrets(
                """
                FLOWDERS_S3_SECRET_KEY=
                MINIO_ROOT_PASSWORD_FILE: /run/secrets/flowders/root-password
                password="$${file:/run/secrets/flowders/broker.properties:admin.password}"
                password="${kafka-ui-password}"
                FLOWDERS_S3_SECRET_KEY=$(secret s3-secret-key)
                printf 'admin.password=%s\\n'
                """))
        .isEmpty();
  }

  /**
   * Nothing usable as a password in the compose file, a .env, the settings or the images' files.
   */
  @Test
  void noPasswordIsCommitted() {
    List<Path> files = new ArrayList<>(List.of(Repo.path(Repo.COMPOSE_FILE)));
    if (Files.exists(Repo.path(Repo.COMPOSE_ENV_FILE))) {
      files.add(Repo.path(Repo.COMPOSE_ENV_FILE));
    }
    files.addAll(deployFiles());
    assertThat(files)
        .contains(
            Repo.path(Repo.SETTINGS_FILE),
            Repo.path(Repo.CREDENTIALS),
            Repo.path(Repo.KAFKA_INIT),
            Repo.path(Repo.SPARK_ENTRYPOINT));

    Map<String, List<String>> found = new TreeMap<>();
    for (Path file : files) {
      String text = read(file);
      List<String> hits = new ArrayList<>(literalSecrets(text));
      FORMER_SECRETS.stream().filter(text::contains).forEach(hits::add);
      if (!hits.isEmpty()) {
        found.put(Repo.root().relativize(file).toString(), hits);
      }
    }
    assertThat(found).as("secrets written into committed files").isEmpty();
  }

  @Test
  void composeReadsNoVariableFromTheShellOrADotEnv() {
    assertThat(Repo.read(Repo.COMPOSE_FILE))
        .as("every secret comes from the credentials service, so nothing needs ${...}")
        .doesNotContainPattern("(?<!\\$)\\$\\{");
  }

  /** First in the chain: every other service waits for it to have finished. */
  @Test
  void theCredentialsServiceRunsOnceBeforeEveryOtherService() {
    Service credentials = compose.service(CREDENTIALS);
    assertThat(credentials.restart()).isEqualTo("no");
    assertThat(credentials.dependsOn()).isEmpty();
    assertThat(credentials.spec()).containsEntry("network_mode", "none");
    assertThat(credentials.build()).isNull();
    assertThat(
            compose.services().stream()
                .filter(s -> !s.name().equals(CREDENTIALS))
                .map(Service::image))
        .as("an image the stack pulls anyway")
        .contains(credentials.image());
    assertThat(credentials.entrypoint()).containsExactly("bash", "/flowders/credentials.sh");
    assertThat(credentials.mounts())
        .contains(
            new Mount("./" + Repo.CREDENTIALS, "/flowders/credentials.sh", List.of("ro", "z")));

    for (Service service : compose.services()) {
      if (!service.name().equals(CREDENTIALS)) {
        assertThat(service.dependsOn())
            .as(service.name())
            .containsEntry(CREDENTIALS, "service_completed_successfully");
      }
    }
  }

  /**
   * Least privilege: a service mounts its own secrets volume, read-only, and no other; only the
   * credentials service sees them all, and the store of every secret.
   */
  @Test
  void eachServiceMountsOnlyItsOwnSecretsReadOnly() {
    for (Service service : compose.services()) {
      List<Mount> secretMounts =
          service.mounts().stream()
              .filter(m -> m.source().endsWith("-secrets") || m.source().equals(CREDENTIALS))
              .toList();
      if (service.name().equals(CREDENTIALS)) {
        assertThat(secretMounts)
            .extracting(Mount::source)
            .containsExactlyInAnyOrderElementsOf(
                Stream.concat(Stream.of(CREDENTIALS), SECRETS_VOLUMES.values().stream())
                    .distinct()
                    .toList());
        continue;
      }
      assertThat(secretMounts)
          .as(service.name())
          .containsExactly(
              new Mount(SECRETS_VOLUMES.get(service.name()), SECRETS_MOUNT, List.of("ro")));
    }
    assertThat(compose.namedVolumes()).containsAll(SECRETS_VOLUMES.values());
  }

  /**
   * Secrets reach the containers as files: the environment holds *_FILE paths, a config location or
   * a FileConfigProvider reference, never a value. (The compose file escapes $ as $$.)
   */
  @Test
  void servicesReadTheirSecretsFromFiles() {
    for (Service service : compose.services()) {
      service
          .environment()
          .forEach(
              (key, value) ->
                  assertThat(literalSecrets(key + "=" + value))
                      .as(service.name() + " " + key)
                      .isEmpty());
    }
    assertThat(compose.service("minio").environment())
        .containsEntry("MINIO_ROOT_USER_FILE", SECRETS_MOUNT + "/root-user")
        .containsEntry("MINIO_ROOT_PASSWORD_FILE", SECRETS_MOUNT + "/root-password")
        .doesNotContainKeys("MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD");
    assertThat(compose.service("producer").environment())
        .containsEntry("QUARKUS_CONFIG_LOCATIONS", "file:" + SECRETS_MOUNT + "/producer.properties")
        .doesNotContainKeys("ORDERS_RATE_TOKEN", "KAFKA_SASL_JAAS_CONFIG");
    for (String node : List.of("kafka1", "kafka2", "kafka3")) {
      Map<String, String> env = compose.service(node).environment();
      for (String listener : List.of("REPLICATION", "CONTROLLER")) {
        assertThat(env.get("KAFKA_LISTENER_NAME_" + listener + "_PLAIN_SASL_JAAS_CONFIG"))
            .as(node + " " + listener)
            .contains(
                "username=\"flowders-admin\"",
                "password=\"$${file:" + SECRETS_MOUNT + "/broker.properties:admin.password}\"",
                "user_flowders-admin=\"$${file:"
                    + SECRETS_MOUNT
                    + "/broker.properties:admin.password}\"");
      }
      assertThat(env)
          .containsEntry(
              "KAFKA_CONFIG_PROVIDERS_FILE_CLASS",
              "org.apache.kafka.common.config.provider.FileConfigProvider");
    }
  }

  /** SCRAM on every client listener, ACLs with nothing allowed by default, one super user. */
  @Test
  void kafkaAuthenticatesAndAuthorizesEveryClient() {
    for (String node : List.of("kafka1", "kafka2", "kafka3")) {
      Map<String, String> env = compose.service(node).environment();
      assertThat(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
          .as(node + ": no listener without SASL")
          .allMatch(entry -> entry.endsWith(":SASL_PLAINTEXT"));
      assertThat(env)
          .containsEntry("KAFKA_SASL_ENABLED_MECHANISMS", "SCRAM-SHA-512")
          .doesNotContainKeys(
              "KAFKA_LISTENER_NAME_INTERNAL_SASL_ENABLED_MECHANISMS",
              "KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS")
          .containsEntry("KAFKA_LISTENER_NAME_REPLICATION_SASL_ENABLED_MECHANISMS", "PLAIN")
          .containsEntry("KAFKA_LISTENER_NAME_CONTROLLER_SASL_ENABLED_MECHANISMS", "PLAIN")
          .containsEntry(
              "KAFKA_AUTHORIZER_CLASS_NAME",
              "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
          .containsEntry("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND", "false")
          .containsEntry("KAFKA_SUPER_USERS", "User:flowders-admin");
      // apache/kafka's configure script demands a JAAS file and keystores for such names.
      assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).doesNotContain("SASL_", "SSL://");
      assertThat(String.join(" ", compose.service(node).healthcheckTest()))
          .contains("--command-config " + SECRETS_MOUNT + "/admin.properties");
    }
  }

  @Test
  void kafkaUiIsReadOnlyAsItsOwnPrincipal() {
    Service ui = compose.service("kafka-ui");
    assertThat(ui.environment())
        .containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "file:/etc/kafkaui/flowders.yml")
        .as("a KAFKA_CLUSTERS_0_* variable would replace the whole cluster list of the file")
        .allSatisfy((key, value) -> assertThat(key).doesNotStartWith("KAFKA_CLUSTERS_"));
    assertThat(ui.mounts())
        .contains(
            new Mount(
                "./" + Repo.KAFKA_UI_CONFIG, "/etc/kafkaui/flowders.yml", List.of("ro", "z")));

    KafkaUiConfig config = KafkaUiConfig.read();
    assertThat(config.readOnly()).isEqualTo(true);
    assertThat(config.configImport()).isEqualTo("configtree:" + SECRETS_MOUNT + "/");
    assertThat(config.properties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat((String) config.properties().get("sasl.jaas.config"))
        .contains("ScramLoginModule required", "username=\"flowders-ui\"")
        .as("the config tree entry the credentials service writes")
        .contains("password=\"${kafka-ui-password}\"");
  }

  /** The job's S3 identity has the bucket only: a policy of its own, attached by minio-init. */
  @Test
  void theJobsS3UserIsNotTheRootAndMayUseTheBucketOnly() {
    String init = Repo.read(Repo.MINIO_INIT);
    assertThat(init)
        .contains(
            "mc admin policy create \"$alias\" \"$policy\" /dev/stdin",
            "mc admin user add \"$alias\" \"$job_user\" < \"$secrets/job-secret-key\"",
            "mc admin policy attach \"$alias\" \"$policy\" --user \"$job_user\"",
            "\"Resource\": [\"arn:aws:s3:::$FLOWDERS_S3_BUCKET\"]",
            "\"Resource\": [\"arn:aws:s3:::$FLOWDERS_S3_BUCKET/*\"]",
            "export MC_HOST_flowders")
        .doesNotContain("mc alias set", "arn:aws:s3:::*", "s3:*", "admin:");
    Matcher actions = Pattern.compile("\"Action\": \\[([^]]*)]").matcher(init);
    List<String> granted = new ArrayList<>();
    while (actions.find()) {
      granted.addAll(List.of(actions.group(1).replace("\"", "").split(",\\s*")));
    }
    assertThat(granted)
        .containsExactlyInAnyOrder(
            "s3:GetBucketLocation",
            "s3:ListBucket",
            "s3:ListBucketMultipartUploads",
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload");
    assertThat(compose.service("streaming-job").mounts())
        .extracting(Mount::source)
        .as("the job's container has the job's key pair, not MinIO's root one")
        .contains("spark-job-secrets")
        .doesNotContain("minio-secrets", "minio-init-secrets");
  }

  /** Every spark container authenticates; kill links stay off (flowders-spark writes both). */
  @Test
  void everySparkContainerRunsTheEntrypointThatLoadsTheSecret() {
    for (String name :
        List.of("spark-master", "spark-worker-1", "spark-worker-2", "streaming-job")) {
      Service spark = compose.service(name);
      assertThat(spark.image()).isEqualTo(compose.service("spark-master").image());
      assertThat(spark.entrypoint()).as(name + " keeps the image's entrypoint").isEmpty();
    }
    assertThat(Repo.read(Repo.SPARK_DOCKERFILE))
        .contains("ENTRYPOINT [\"/opt/flowders/bin/flowders-spark\"]");
  }

  static List<String> literalSecrets(String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = LITERAL_SECRET.matcher(text);
    while (matcher.find()) {
      found.add(matcher.group().strip());
    }
    return found;
  }

  /** The deploy/ files compose and the images use: scripts, configs, Dockerfiles, settings. */
  private static List<Path> deployFiles() {
    try (Stream<Path> files = Files.walk(Repo.path("deploy"))) {
      return files
          .filter(Files::isRegularFile)
          .filter(
              file -> {
                String path = Repo.root().relativize(file).toString();
                return !path.contains("/target/")
                    && !path.contains("/src/")
                    && !path.endsWith(".jar");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
