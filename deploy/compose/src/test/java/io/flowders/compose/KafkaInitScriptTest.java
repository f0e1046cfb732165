package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.Commands.Result;
import io.flowders.compose.Stubs.Call;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose's kafka-init step, run with stand-ins for Kafka's CLI: it creates the topic exactly as
 * deploy/flowders.env describes it, and a re-run against an existing topic with other settings
 * fails instead of leaving a stack that silently differs from the local one.
 */
class KafkaInitScriptTest {

  private static final String BOOTSTRAP = "kafka1:19092,kafka2:19092,kafka3:19092";

  @TempDir Path tmp;
  private Path log;
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);

  @BeforeEach
  void stubKafka() {
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
  }

  @Test
  void createsTheTopicWithTheSharedSettingsOnlyIfItIsMissing() {
    Result result =
        run(
            settings.get("FLOWDERS_TOPIC_PARTITIONS"),
            settings.get("FLOWDERS_TOPIC_REPLICATION_FACTOR"));

    assertThat(result.exitCode()).as(result.output()).isZero();
    List<Call> topics = Stubs.calls(log, "kafka-topics.sh");
    assertThat(topics).hasSize(2);
    assertThat(topics.get(0).args())
        .containsSubsequence("--bootstrap-server", BOOTSTRAP)
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
    List<Call> configs = Stubs.calls(log, "kafka-configs.sh");
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
    env.put("FLOWDERS_KAFKA_BOOTSTRAP", BOOTSTRAP);
    env.put("KAFKA_HOME", tmp.resolve("kafka").toString());
    env.put("EXISTING_PARTITIONS", existingPartitions);
    env.put("EXISTING_REPLICATION_FACTOR", existingReplicationFactor);
    return Commands.run(
        tmp, env, Duration.ofSeconds(30), List.of("bash", Repo.path(Repo.KAFKA_INIT).toString()));
  }
}
