package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.settings.KafkaClientProperties;
import io.flowders.stack.Credentials.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secured 3-node cluster as the stack runs it: who may connect and what each principal may do.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredKafkaIT {

  private static final String TOPIC = "orders";
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

  @TempDir static Path work;
  static Path credentialsFile;
  static Credentials credentials;
  static KafkaCluster kafka;
  static List<Integer> ports;
  static List<FaultProxy> proxies;

  @BeforeAll
  static void start() {
    credentialsFile = work.resolve("state").resolve(Credentials.FILE);
    credentials = Credentials.ensure(credentialsFile);
    ports = Ports.free(12);
    proxies = ports.subList(9, 12).stream().map(FaultProxy::to).toList();
    long started = System.nanoTime();
    kafka = cluster(credentials).start();
    kafka.createOrdersTopic();
    System.out.printf(
        "SecuredKafkaIT: 3 secured nodes, users, ACLs and the topic ready in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
    if (proxies != null) {
      proxies.forEach(FaultProxy::close);
    }
  }

  @Test
  @Order(1)
  void aPlaintextClientIsRefused() {
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
  @Order(2)
  void aWrongPasswordIsRefused() {
    Map<String, Object> config = config(KafkaPrincipal.ADMIN);
    config.put(
        "sasl.jaas.config",
        KafkaPrincipal.ADMIN.jaas(
            "org.apache.kafka.common.security.scram.ScramLoginModule", Credentials.generate()));

    try (Admin admin = Admin.create(config)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  @Test
  @Order(3)
  void theProducerWritesIdempotentlyButCannotRead() throws Exception {
    try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.PRODUCER)) {
      for (int i = 0; i < 20; i++) {
        producer
            .send(new ProducerRecord<>(TOPIC, "CUS_" + i, "order-" + i))
            .get(10, TimeUnit.SECONDS);
      }
    }
    try (KafkaConsumer<String, String> consumer = consumer(KafkaPrincipal.PRODUCER, null)) {
      consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(CLIENT_TIMEOUT))
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  @Order(4)
  void theJobReadsInItsGroupsButCannotWrite() throws Exception {
    try (KafkaConsumer<String, String> consumer =
        consumer(KafkaPrincipal.JOB, "spark-kafka-source-it")) {
      consumer.subscribe(List.of(TOPIC));
      List<ConsumerRecord<String, String>> read = new ArrayList<>();
      Await.until(
          "the job principal reading the 20 orders",
          Duration.ofMinutes(1),
          () -> {
            consumer.poll(Duration.ofMillis(500)).forEach(read::add);
            return read.size() >= 20;
          });
      assertThat(read).hasSize(20);
      consumer.commitSync();
    }
    try (KafkaConsumer<String, String> consumer = consumer(KafkaPrincipal.JOB, "other-group")) {
      consumer.subscribe(List.of(TOPIC));
      assertThatThrownBy(() -> consumer.poll(CLIENT_TIMEOUT))
          .isInstanceOf(GroupAuthorizationException.class);
    }
    // Not even a plain write of the topic; an idempotent producer is refused its producer id first.
    try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.JOB, false)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(TOPIC, "CUS_1", "fake"))
                      .get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.JOB, true)) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(TOPIC, "CUS_1", "fake"))
                      .get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ClusterAuthorizationException.class);
    }
  }

  @Test
  @Order(5)
  void theAdminCreatesTopicsAndGrantsTheStacksAccessToThem() throws Exception {
    kafka.createTopic("bench-topic", 3, 3, Map.of());
    kafka.grantAccess("bench-topic");

    try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.PRODUCER)) {
      producer.send(new ProducerRecord<>("bench-topic", "k", "v")).get(10, TimeUnit.SECONDS);
    }
    assertThat(kafka.partitions("bench-topic")).hasSize(3);
  }

  @Test
  @Order(6)
  void clientsBehindTheProxiesAreCutOffAloneAndCarryOnWhenTheyAreBack() throws Exception {
    List<Integer> proxyPorts = proxies.stream().map(FaultProxy::port).toList();
    Map<String, Object> config = producerConfig(KafkaPrincipal.PRODUCER, true);
    config.put("bootstrap.servers", kafka.proxiedBootstrapServers());
    try (KafkaProducer<String, String> proxied =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      proxied.send(new ProducerRecord<>(TOPIC, "CUS_1", "through")).get(10, TimeUnit.SECONDS);
      assertThat(proxied.partitionsFor(TOPIC))
          .allSatisfy(p -> assertThat(proxyPorts).contains(p.leader().port()));

      proxies.forEach(proxy -> proxy.down(true));
      assertThatThrownBy(
              () ->
                  proxied
                      .send(new ProducerRecord<>(TOPIC, "CUS_1", "cut off"))
                      .get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
      try (KafkaProducer<String, String> direct = producer(KafkaPrincipal.PRODUCER)) {
        direct.send(new ProducerRecord<>(TOPIC, "CUS_1", "direct")).get(10, TimeUnit.SECONDS);
      }

      proxies.forEach(FaultProxy::heal);
      proxied.send(new ProducerRecord<>(TOPIC, "CUS_1", "back")).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(7)
  void passwordsLiveInOwnerOnlyFilesNeverOnCommandLines() throws Exception {
    String adminPassword = credentials.get(Secret.KAFKA_ADMIN_PASSWORD);
    for (int id : kafka.nodeIds()) {
      Path serverProperties = kafka.dataDir().resolve("node-" + id).resolve("server.properties");
      assertThat(Files.readString(serverProperties)).contains(adminPassword);
      assertThat(mode(serverProperties)).isEqualTo("rw-------");
      assertThat(mode(serverProperties.getParent())).isEqualTo("rwx------");
      assertThat(ProcessHandle.of(kafka.pid(id)).orElseThrow().info().commandLine().orElse(""))
          .doesNotContain(adminPassword);
    }
    for (KafkaPrincipal principal : KafkaPrincipal.values()) {
      assertThat(mode(kafka.clientConfig(principal))).isEqualTo("rw-------");
    }
  }

  @Test
  @Order(8)
  void aRotatedPasswordIsTheOneInForceAfterARestart() throws Exception {
    String old = credentials.get(Secret.KAFKA_PRODUCER_PASSWORD);
    Files.writeString(
        credentialsFile,
        Files.readString(credentialsFile)
            .replaceAll("(?m)^" + Secret.KAFKA_PRODUCER_PASSWORD.key() + "=.*\n", ""));
    Credentials rotated = Credentials.ensure(credentialsFile);
    assertThat(rotated.get(Secret.KAFKA_PRODUCER_PASSWORD)).isNotEqualTo(old);

    kafka.close();
    kafka = cluster(rotated).start();
    kafka.awaitFullIsr();

    try (KafkaProducer<String, String> producer = producer(KafkaPrincipal.PRODUCER)) {
      producer.send(new ProducerRecord<>(TOPIC, "CUS_1", "after")).get(30, TimeUnit.SECONDS);
    }
    Map<String, Object> stale = config(KafkaPrincipal.PRODUCER);
    stale.put(
        "sasl.jaas.config",
        KafkaPrincipal.PRODUCER.jaas(
            "org.apache.kafka.common.security.scram.ScramLoginModule", old));
    try (Admin admin = Admin.create(stale)) {
      assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SaslAuthenticationException.class);
    }
  }

  private static KafkaCluster cluster(Credentials credentials) {
    return KafkaCluster.builder()
        .ports(ports.subList(0, 3), ports.subList(3, 6))
        .brokerPorts(ports.subList(6, 9))
        .proxiedListener(ports.subList(9, 12), proxies.stream().map(FaultProxy::port).toList())
        .dataDir(work.resolve("kafka"))
        .secured(credentials)
        .build();
  }

  private static Map<String, Object> config(KafkaPrincipal principal) {
    Map<String, Object> config =
        new HashMap<>(KafkaClientProperties.read(kafka.clientConfig(principal)));
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put("default.api.timeout.ms", "10000");
    config.put("request.timeout.ms", "5000");
    return config;
  }

  private static KafkaProducer<String, String> producer(KafkaPrincipal principal) {
    return producer(principal, true);
  }

  private static KafkaProducer<String, String> producer(
      KafkaPrincipal principal, boolean idempotent) {
    return new KafkaProducer<>(
        producerConfig(principal, idempotent), new StringSerializer(), new StringSerializer());
  }

  private static Map<String, Object> producerConfig(KafkaPrincipal principal, boolean idempotent) {
    Map<String, Object> config = config(principal);
    config.put("acks", "all");
    config.put("enable.idempotence", Boolean.toString(idempotent));
    config.put("max.block.ms", "10000");
    config.put("delivery.timeout.ms", "10000");
    config.put("linger.ms", "0");
    return config;
  }

  private static KafkaConsumer<String, String> consumer(KafkaPrincipal principal, String group) {
    Map<String, Object> config = config(principal);
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", "false");
    if (group != null) {
      config.put("group.id", group);
    }
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
