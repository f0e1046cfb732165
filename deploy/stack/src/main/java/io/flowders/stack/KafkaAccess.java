package io.flowders.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The users and ACLs of a secured {@link KafkaCluster}, set through Kafka's Admin API. Runs in a
 * child JVM on the Kafka runtime's classpath (the stack's own classpath has no Kafka jar), started
 * by the cluster on every start, so that a password changed in {@code credentials.properties} is
 * the one the users have after the next start.
 *
 * <p>Usage: {@code KafkaAccess CLIENT_CONFIG_DIR CLIENT_BOOTSTRAP [--users BROKER_BOOTSTRAP]
 * [--revoke] TOPIC...}. The folder holds each {@link KafkaPrincipal}'s client config file, whose
 * passwords are the ones set. {@code --users} upserts every principal's SCRAM-SHA-512 credential
 * through the inter-broker listener (SASL/PLAIN as the admin, whose password is static there: the
 * admin's own SCRAM credential may not exist or be stale), then waits until every node accepts the
 * admin's SCRAM login. Each topic gets (or with {@code --revoke} loses) the producer's and the
 * readers' ACLs.
 */
public final class KafkaAccess {

  /** The prefix of the consumer groups of the project's own plain readers. */
  public static final String PLAIN_READER_GROUPS = "flowders-job-";

  /**
   * The consumer groups of the topic's readers: Spark's Kafka source (streaming and batch, the
   * latter is verify) and the project's own plain readers (the bench's ConsumerPerformance).
   */
  public static final List<String> READER_GROUP_PREFIXES =
      List.of("spark-kafka-source-", "spark-kafka-relation-", KafkaAccess.PLAIN_READER_GROUPS);

  /** Kafka's minimum for SCRAM-SHA-512 is 4096. */
  private static final int SCRAM_ITERATIONS = 8192;

  private static final Duration TIMEOUT = Duration.ofMinutes(1);
  private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");

  private KafkaAccess() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: KafkaAccess CLIENT_CONFIG_DIR CLIENT_BOOTSTRAP [--users BROKER_BOOTSTRAP]"
              + " [--revoke] TOPIC...");
      System.exit(2);
    }
    Path configs = Path.of(args[0]);
    String clientBootstrap = args[1];
    String brokerBootstrap = null;
    boolean revoke = false;
    List<String> topics = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--users" -> brokerBootstrap = args[++i];
        case "--revoke" -> revoke = true;
        default -> topics.add(args[i]);
      }
    }
    if (brokerBootstrap != null) {
      upsertUsers(configs, brokerBootstrap);
      awaitAdminLogin(configs, clientBootstrap);
    }
    if (!topics.isEmpty() || brokerBootstrap != null) {
      try (Admin admin =
          Admin.create(clientConfig(configs, KafkaPrincipal.ADMIN, clientBootstrap))) {
        if (revoke) {
          admin
              .deleteAcls(topicAcls(topics).stream().map(AclBinding::toFilter).toList())
              .all()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } else {
          List<AclBinding> acls = new ArrayList<>(groupAcls());
          acls.addAll(topicAcls(topics));
          admin.createAcls(acls).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      }
    }
    System.exit(0);
  }

  /** Each principal's SCRAM-SHA-512 credential, with the password of its client config file. */
  private static void upsertUsers(Path configs, String brokerBootstrap) throws Exception {
    Map<String, Object> plainAdmin = clientConfig(configs, KafkaPrincipal.ADMIN, brokerBootstrap);
    plainAdmin.put("sasl.mechanism", "PLAIN");
    plainAdmin.put(
        "sasl.jaas.config",
        KafkaPrincipal.ADMIN.jaas(
            "org.apache.kafka.common.security.plain.PlainLoginModule",
            password(configs, KafkaPrincipal.ADMIN)));
    List<UserScramCredentialAlteration> upserts = new ArrayList<>();
    for (KafkaPrincipal principal : KafkaPrincipal.values()) {
      upserts.add(
          new UserScramCredentialUpsertion(
              principal.user(),
              new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
              password(configs, principal)));
    }
    try (Admin admin = Admin.create(plainAdmin)) {
      admin.alterUserScramCredentials(upserts).all().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /**
   * Returns once every node accepts the admin's SCRAM login: the credentials reach the brokers
   * through the metadata log, a moment after the controller took them.
   */
  private static void awaitAdminLogin(Path configs, String clientBootstrap) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    for (String node : clientBootstrap.split(",")) {
      Map<String, Object> config = clientConfig(configs, KafkaPrincipal.ADMIN, node);
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
      while (true) {
        try (Admin admin = Admin.create(config)) {
          admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
          break;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "Kafka node " + node + " refuses the admin's SCRAM login: " + e.getCause(), e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  private static List<AclBinding> groupAcls() {
    return READER_GROUP_PREFIXES.stream()
        .map(
            prefix ->
                allow(
                    KafkaPrincipal.JOB,
                    new ResourcePattern(ResourceType.GROUP, prefix, PatternType.PREFIXED),
                    AclOperation.READ))
        .toList();
  }

  /**
   * The producer may write the topic (an idempotent producer needs nothing more since Kafka 3.0:
   * WRITE on a topic allows its producer id) and the readers read it; both may describe it.
   */
  static List<AclBinding> topicAcls(List<String> topics) {
    List<AclBinding> acls = new ArrayList<>();
    for (String topic : topics) {
      ResourcePattern resource =
          new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL);
      acls.add(allow(KafkaPrincipal.PRODUCER, resource, AclOperation.WRITE));
      acls.add(allow(KafkaPrincipal.PRODUCER, resource, AclOperation.DESCRIBE));
      acls.add(allow(KafkaPrincipal.JOB, resource, AclOperation.READ));
      acls.add(allow(KafkaPrincipal.JOB, resource, AclOperation.DESCRIBE));
    }
    return acls;
  }

  private static AclBinding allow(
      KafkaPrincipal principal, ResourcePattern resource, AclOperation operation) {
    return new AclBinding(
        resource,
        new AccessControlEntry(
            "User:" + principal.user(), "*", operation, AclPermissionType.ALLOW));
  }

  /** A principal's client config file with {@code bootstrap}, as Admin config. */
  private static Map<String, Object> clientConfig(
      Path configs, KafkaPrincipal principal, String bootstrap) {
    Properties file = new Properties();
    try (Reader reader = Files.newBufferedReader(principal.configFile(configs))) {
      file.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, Object> config = new HashMap<>();
    file.stringPropertyNames().forEach(key -> config.put(key, file.getProperty(key)));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return config;
  }

  private static String password(Path configs, KafkaPrincipal principal) {
    Object jaas = clientConfig(configs, principal, "").get("sasl.jaas.config");
    Matcher m = JAAS_PASSWORD.matcher(jaas == null ? "" : jaas.toString());
    if (!m.find()) {
      throw new IllegalStateException(
          "no password in the sasl.jaas.config of " + principal.configFile(configs));
    }
    return m.group(1);
  }
}
