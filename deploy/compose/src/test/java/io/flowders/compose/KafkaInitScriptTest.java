package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.compose.Stubs.Call;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's kafka-init step, run with stand-ins for Kafka's CLI: as the admin, it gives each
 * principal its SCRAM credential from a file, creates the topic exactly as deploy/flowders.env
 * describes it, grants each principal its ACLs and nothing more, and a re-run against an existing
 * topic with other settings fails instead of leaving a stack that silently differs from the local
 * one.
 */
class KafkaInitScriptTest {

  private static final String ADMIN_BOOTSTRAP = "kafka1:19094,kafka2:19094,kafka3:19094";
  private static final List<String> PRINCIPALS =
      List.of("flowders-admin", "flowders-producer", "flowders-job", "flowders-ui");

  @TempDir Path tmp;
  private Path log;
  private Path secrets;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeEach
  void stubKafka() throws IOException {
    log = tmp.resolve("calls.log");
    Path bin = tmp.resolve("kafka/bin");
    // --describe prints what Kafka 4.1 prints: a summary line of tab-separated fields, then one
    // line per partition.
    Stubs.write(
        bin,
        "kafka-topics.sh",
        log,
        List.of("KAFKA_HEAP_OPTS"),
        """
        case "$*" in *--describe*)
          printf 'Topic: %s\\tTopicId: Qx1\\tPartitionCount: %s\\tReplicationFactor: %s\\tConfigs: min.insync.replicas=2\\n' \
            "$FLOWDERS_TOPIC" "$EXISTING_PARTITIONS" "$EXISTING_REPLICATION_FACTOR"
          printf '\\tTopic: %s\\tPartition: 0\\tLeader: 1\\tReplicas: 1,2,3\\tIsr: 1,2,3\\n' "$FLOWDERS_TOPIC" ;;
        esac""");
    Stubs.write(bin, "kafka-configs.sh", log, List.of(), "");
    Stubs.write(bin, "kafka-acls.sh", log, List.of(), "");
    // What the credentials service writes into kafka-init's volume.
    secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("admin.properties"), "sasl.mechanism=PLAIN\n");
    for (String principal : PRINCIPALS) {
      Files.writeString(
          secrets.resolve("scram-" + principal + ".properties"),
          "SCRAM-SHA-512=password=" + passwordOf(principal) + "\n");
    }
  }

  @Test
  void everyCallIsTheAdminsThroughThePlainListenerWithNoPasswordOnTheCommandLine() {
    Result result = runAgainstMatchingTopic();

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<Call> calls = new ArrayList<>();
    for (String tool : List.of("kafka-topics.sh", "kafka-configs.sh", "kafka-acls.sh")) {
      calls.addAll(Stubs.calls(log, tool));
    }
    assertThat(calls).hasSizeGreaterThan(10);
    for (Call call : calls) {
      assertThat(call.args())
          .containsSubsequence("--bootstrap-server", ADMIN_BOOTSTRAP)
          .containsSubsequence("--command-config", secrets.resolve("admin.properties").toString());
      for (String principal : PRINCIPALS) {
        assertThat(String.join(" ", call.args())).doesNotContain(passwordOf(principal));
      }
    }
    assertThat(result.output()).doesNotContain(passwordOf("flowders-producer"));
  }

  @Test
  void everyPrincipalGetsItsScramCredentialFromAFile() {
    assertThat(runAgainstMatchingTopic().exitCode()).isZero();

    List<Call> users =
        Stubs.calls(log, "kafka-configs.sh").stream()
            .filter(call -> call.args().contains("users"))
            .toList();
    assertThat(users).hasSameSizeAs(PRINCIPALS);
    for (int i = 0; i < PRINCIPALS.size(); i++) {
      String principal = PRINCIPALS.get(i);
      assertThat(users.get(i).args())
          .containsSubsequence("--entity-type", "users", "--entity-name", principal)
          .containsSubsequence(
              "--add-config-file",
              secrets.resolve("scram-" + principal + ".properties").toString());
    }
  }

  /** Each principal may do what its component needs: no more, since nothing else is allowed. */
  @Test
  void aclsGrantEachPrincipalItsOwnOperationsOnly() {
    assertThat(runAgainstMatchingTopic().exitCode()).isZero();
    String topic = settings.get("FLOWDERS_TOPIC");

    Map<String, List<String>> grants = new TreeMap<>();
    for (Call call : Stubs.calls(log, "kafka-acls.sh")) {
      List<String> args = call.args();
      assertThat(args).contains("--add").doesNotContain("--remove", "--deny-principal");
      String principal = args.get(args.indexOf("--allow-principal") + 1);
      String resource = resource(args);
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).equals("--operation")) {
          grants
              .computeIfAbsent(principal, p -> new ArrayList<>())
              .add(args.get(i + 1) + " " + resource);
        }
      }
    }
    assertThat(grants.get("User:flowders-producer"))
        .containsExactlyInAnyOrder("Write topic " + topic, "Describe topic " + topic);
    assertThat(grants.get("User:flowders-job"))
        .containsExactlyInAnyOrder(
            "Read topic " + topic,
            "Describe topic " + topic,
            "Read prefixed group spark-kafka-source-",
            "Read prefixed group spark-kafka-relation-");
    assertThat(grants.get("User:flowders-ui"))
        .containsExactlyInAnyOrder(
            "Read topic *",
            "Describe topic *",
            "DescribeConfigs topic *",
            "Read group *",
            "Describe group *",
            "Describe cluster",
            "DescribeConfigs cluster");
    assertThat(grants)
        .as("the admin is a super user: it needs no ACL")
        .containsOnlyKeys("User:flowders-producer", "User:flowders-job", "User:flowders-ui");
  }

  @Test
  void createsTheTopicWithTheSharedSettingsOnlyIfItIsMissing() {
    Result result = runAgainstMatchingTopic();

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<Call> topics = Stubs.calls(log, "kafka-topics.sh");
    assertThat(topics).hasSize(2);
    assertThat(topics.get(0).args())
        .contains("--create", "--if-not-exists")
        .containsSubsequence("--topic", settings.get("FLOWDERS_TOPIC"))
        .containsSubsequence("--partitions", settings.get("FLOWDERS_TOPIC_PARTITIONS"))
        .containsSubsequence(
            "--replication-factor", settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"))
        .containsSubsequence(
            "--config",
            "min.insync.replicas=" + settings.get("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"));
    assertThat(topics.get(0).env().get("KAFKA_HEAP_OPTS"))
        .as("a tool JVM, not a broker's heap")
        .isEqualTo("-Xmx128m");
    List<Call> configs =
        Stubs.calls(log, "kafka-configs.sh").stream()
            .filter(call -> call.args().contains("topics"))
            .toList();
    assertThat(configs).hasSize(1);
    assertThat(configs.get(0).args())
        .containsSubsequence("--entity-name", settings.get("FLOWDERS_TOPIC"))
        .containsSubsequence(
            "--add-config",
            "min.insync.replicas=" + settings.get("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS"));
  }

  @Test
  void anExistingTopicWithOtherPartitionsFailsTheStep() {
    Result result = run("3", settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"));

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("PartitionCount: " + settings.get("FLOWDERS_TOPIC_PARTITIONS"), "down -v");
  }

  @Test
  void anExistingTopicWithOtherReplicationFailsTheStep() {
    Result result = run(settings.get("FLOWDERS_TOPIC_PARTITIONS"), "1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output())
        .contains("ReplicationFactor: " + settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"));
  }

  /**
   * The environment compose gives kafka-init (env_file + override), against a topic that has these
   * settings.
   */
  private Result run(String existingPartitions, String existingReplicationFactor) {
    Map<String, String> env = new HashMap<>(settings);
    env.put("KAFKA_ADMIN_BOOTSTRAP", ADMIN_BOOTSTRAP);
    env.put("FLOWDERS_SECRETS", secrets.toString());
    env.put("KAFKA_HOME", tmp.resolve("kafka").toString());
    env.put("EXISTING_PARTITIONS", existingPartitions);
    env.put("EXISTING_REPLICATION_FACTOR", existingReplicationFactor);
    return Commands.run(
        tmp, env, Duration.ofSeconds(30), List.of("bash", Repo.path(Repo.KAFKA_INIT).toString()));
  }

  private Result runAgainstMatchingTopic() {
    return run(
        settings.get("FLOWDERS_TOPIC_PARTITIONS"),
        settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"));
  }

  /** A stand-in password per principal, to look for where it must not be. */
  private static String passwordOf(String principal) {
    return "pw" + Integer.toHexString(principal.hashCode()) + "x";
  }

  /** "topic NAME", "prefixed group NAME", "cluster": what an ACL command applies to. */
  private static String resource(List<String> args) {
    String pattern =
        args.contains("--resource-pattern-type")
            ? args.get(args.indexOf("--resource-pattern-type") + 1) + " "
            : "";
    for (String type : List.of("topic", "group")) {
      if (args.contains("--" + type)) {
        return pattern + type + " " + args.get(args.indexOf("--" + type) + 1);
      }
    }
    assertThat(args).contains("--cluster");
    return pattern + "cluster";
  }
}
