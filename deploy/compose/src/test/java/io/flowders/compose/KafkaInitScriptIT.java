package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.compose.Commands.Result;
import io.flowders.stack.Await;
import io.flowders.stack.Credentials;
import io.flowders.stack.Credentials.Secret;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.KafkaCluster.Partition;
import io.flowders.stack.Runtimes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's kafka-init script against a real secured 3-node cluster (SASL/PLAIN admin listener,
 * SCRAM-SHA-512 client listeners, StandardAuthorizer, as the compose brokers run) and Kafka 4.1's
 * own CLI classes (the ones /opt/kafka/bin runs in the apache/kafka image), with its secrets in
 * files as the credentials service writes them: the flags, the describe format it checks, a second
 * run as after `docker compose up` on existing volumes, and what each principal may do afterwards.
 */
class KafkaInitScriptIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);
  private static final Map<String, String> TOOLS =
      Map.of(
          "kafka-topics.sh",
          KafkaCluster.TOPIC_COMMAND,
          "kafka-configs.sh",
          "kafka.admin.ConfigCommand",
          "kafka-acls.sh",
          "org.apache.kafka.tools.AclCommand");
  private static final String ADMIN = "flowders-admin";
  private static final String PRODUCER = "flowders-producer";
  private static final String JOB = "flowders-job";
  private static final String UI = "flowders-ui";
  private static final String SCRAM_MODULE =
      "org.apache.kafka.common.security.scram.ScramLoginModule";
  private static final String PLAIN_MODULE =
      "org.apache.kafka.common.security.plain.PlainLoginModule";

  @TempDir static Path tmp;
  private static KafkaCluster kafka;
  private static Path kafkaHome;
  private static Path secrets;

  /** The SCRAM password kafka-init sets for each user, from its scram-USER.properties. */
  private static final Map<String, String> passwords = new HashMap<>();

  private static Result firstRun;
  private static final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);
  private static final String TOPIC = settings.get("FLOWDERS_TOPIC");

  @BeforeAll
  static void startKafka() throws IOException {
    Credentials credentials = Credentials.ensure(tmp.resolve("state").resolve(Credentials.FILE));
    kafka =
        KafkaCluster.builder()
            .freePorts()
            .heap("384m")
            .dataDir(tmp.resolve("data"))
            .secured(credentials)
            .build()
            .start();
    // The cluster grants the stack's topic to the producer and the job as it starts: gone, so the
    // only ACLs on it are the ones kafka-init adds.
    kafka.revokeAccess(TOPIC);
    writeSecrets(credentials.get(Secret.KAFKA_ADMIN_PASSWORD));
    kafkaHome = tmp.resolve("kafka");
    Path bin = Files.createDirectories(kafkaHome.resolve("bin"));
    String classpath = String.join(File.pathSeparator, Runtimes.classpath(Runtimes.KAFKA));
    String log4j = Repo.path("deploy/kafka/log4j2.properties").toUri().toString();
    for (Map.Entry<String, String> tool : TOOLS.entrySet()) {
      Path script = bin.resolve(tool.getKey());
      Files.writeString(
          script,
          "#!/bin/sh\nexec java $KAFKA_HEAP_OPTS -Dlog4j2.configurationFile="
              + log4j
              + " -cp '"
              + classpath
              + "' "
              + tool.getValue()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  /**
   * kafka-init's folder as deploy/compose/docker/credentials.sh writes it, owner-only: the admin's
   * PLAIN client config (the brokers' static admin password) and each user's SCRAM credential. The
   * admin's SCRAM password is that same secret; the others are fresh, so a client that logs in with
   * one proves kafka-init set it.
   */
  private static void writeSecrets(String adminPassword) throws IOException {
    secrets =
        Files.createDirectory(
            tmp.resolve("secrets"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    writeOwnerOnly(
        secrets.resolve("admin.properties"),
        "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config="
            + jaas(PLAIN_MODULE, ADMIN, adminPassword)
            + "\n");
    SecureRandom random = new SecureRandom();
    for (String user : List.of(ADMIN, PRODUCER, JOB, UI)) {
      byte[] bytes = new byte[24];
      random.nextBytes(bytes);
      String password = user.equals(ADMIN) ? adminPassword : HexFormat.of().formatHex(bytes);
      passwords.put(user, password);
      writeOwnerOnly(
          secrets.resolve("scram-" + user + ".properties"),
          "SCRAM-SHA-512=password=" + password + "\n");
    }
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, text);
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void createsTheTopicAsTheSharedSettingsSayAndAcceptsARerun() {
    Result first = initialized();
    assertThat(first.exitCode()).as(first.output()).isZero();

    Map<Integer, Partition> partitions = kafka.partitions(TOPIC);
    assertThat(partitions).hasSize(Integer.parseInt(settings.get("FLOWDERS_TOPIC_PARTITIONS")));
    assertThat(partitions.values())
        .allSatisfy(
            partition ->
                assertThat(partition.replicas())
                    .hasSize(Integer.parseInt(settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"))));
    assertThat(kafka.describeTopic(TOPIC))
        .contains("min.insync.replicas=" + settings.get("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"));

    Result rerun = run(TOPIC);
    assertThat(rerun.exitCode()).as(rerun.output()).isZero();
    assertThat(kafka.partitions(TOPIC)).hasSameSizeAs(partitions);
  }

  @Test
  void theProducerMayWriteTheTopicButNotReadIt() throws Exception {
    assertThat(initialized().exitCode()).as(initialized().output()).isZero();

    try (KafkaProducer<String, String> producer = producer(PRODUCER, true)) {
      producer
          .send(new ProducerRecord<>(TOPIC, "CUS_1", "order-from-the-producer"))
          .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    try (KafkaConsumer<String, String> consumer = consumer(PRODUCER)) {
      consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(CLIENT_TIMEOUT))
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void theJobMayReadTheTopicButNotWriteIt() throws Exception {
    assertThat(initialized().exitCode()).as(initialized().output()).isZero();
    // A record to read, written as the admin (a super user) so this test stands on its own.
    try (KafkaProducer<String, String> producer = producer(ADMIN, false)) {
      producer
          .send(new ProducerRecord<>(TOPIC, 0, "CUS_2", "order-for-the-job"))
          .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    try (KafkaConsumer<String, String> consumer = consumer(JOB)) {
      consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
      consumer.seekToBeginning(consumer.assignment());
      List<ConsumerRecord<String, String>> read = new ArrayList<>();
      Await.until(
          "flowders-job reading partition 0 of " + TOPIC,
          Duration.ofMinutes(1),
          () -> {
            consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            return read.stream().anyMatch(record -> record.value().equals("order-for-the-job"));
          });
    }
    assertWriteRefused(JOB);
  }

  @Test
  void kafkaUiMayDescribeTheTopicButNotWriteIt() throws Exception {
    assertThat(initialized().exitCode()).as(initialized().output()).isZero();

    try (Admin admin = Admin.create(clientConfig(UI))) {
      TopicDescription description =
          admin
              .describeTopics(List.of(TOPIC))
              .allTopicNames()
              .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .get(TOPIC);
      assertThat(description.partitions())
          .hasSize(Integer.parseInt(settings.get("FLOWDERS_TOPIC_PARTITIONS")));
    }
    assertWriteRefused(UI);
  }

  @Test
  void anUnauthenticatedClientIsRefused() {
    assertThat(initialized().exitCode()).as(initialized().output()).isZero();
    Map<String, Object> plaintext = new HashMap<>();
    plaintext.put("bootstrap.servers", kafka.bootstrapServers());
    plaintext.put("default.api.timeout.ms", "5000");
    plaintext.put("request.timeout.ms", "5000");

    try (Admin admin = Admin.create(plaintext)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }
  }

  @Test
  void aTopicLeftWithOtherPartitionsStopsTheStack() {
    kafka.createTopic("orders-from-an-old-volume", 3, 3, Map.of());

    Result result = run("orders-from-an-old-volume");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    assertThat(result.output())
        .contains("without 'PartitionCount: " + settings.get("FLOWDERS_TOPIC_PARTITIONS") + "'");
    assertThat(kafka.partitions("orders-from-an-old-volume")).as("left as it was").hasSize(3);
  }

  /** kafka-init's first run on the stack's topic, shared by the tests of what it set up. */
  private static synchronized Result initialized() {
    if (firstRun == null) {
      firstRun = run(TOPIC);
    }
    return firstRun;
  }

  /** kafka-init with compose's environment (env_file, then the overrides), against this cluster. */
  private static Result run(String topic) {
    Map<String, String> env = new HashMap<>(settings);
    env.put(
        "KAFKA_ADMIN_BOOTSTRAP",
        kafka.nodeIds().stream()
            .map(id -> "127.0.0.1:" + kafka.brokerPort(id))
            .collect(Collectors.joining(",")));
    env.put("FLOWDERS_SECRETS", secrets.toString());
    env.put("FLOWDERS_TOPIC", topic);
    env.put("KAFKA_HOME", kafkaHome.toString());
    return Commands.run(tmp, env, TIMEOUT, List.of("bash", Repo.path(Repo.KAFKA_INIT).toString()));
  }

  /** A plain (not idempotent) write: refused on the topic itself, not on a producer id. */
  private static void assertWriteRefused(String user) {
    try (KafkaProducer<String, String> producer = producer(user, false)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(TOPIC, "CUS_1", "fake"))
                      .get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  private static String jaas(String module, String user, String password) {
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }

  /** {@code user}'s client config with the password kafka-init set, on the client listeners. */
  private static Map<String, Object> clientConfig(String user) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", "SCRAM-SHA-512");
    config.put("sasl.jaas.config", jaas(SCRAM_MODULE, user, passwords.get(user)));
    config.put("default.api.timeout.ms", "10000");
    config.put("request.timeout.ms", "5000");
    return config;
  }

  private static KafkaProducer<String, String> producer(String user, boolean idempotent) {
    Map<String, Object> config = clientConfig(user);
    config.put("acks", "all");
    config.put("enable.idempotence", Boolean.toString(idempotent));
    config.put("max.block.ms", "10000");
    config.put("delivery.timeout.ms", "10000");
    config.put("linger.ms", "0");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(String user) {
    Map<String, Object> config = clientConfig(user);
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
