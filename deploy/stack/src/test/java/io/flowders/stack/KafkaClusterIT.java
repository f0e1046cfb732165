package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaClusterIT {

  @TempDir static Path dataDir;
  static KafkaCluster kafka;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    kafka = KafkaCluster.builder().freePorts().dataDir(dataDir).build().start();
    kafka.createOrdersTopic();
    System.out.printf(
        "KafkaCluster: 3 nodes and the orders topic ready in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @Test
  @Order(1)
  void ordersTopicHasTenPartitionsOfThreeInSyncReplicasAndMinIsrTwo() {
    Map<Integer, KafkaCluster.Partition> partitions = kafka.partitions("orders");

    assertThat(partitions).hasSize(10);
    assertThat(partitions.values())
        .allSatisfy(
            partition -> {
              assertThat(partition.replicas()).containsExactlyInAnyOrder(1, 2, 3);
              assertThat(partition.isr()).containsExactlyInAnyOrder(1, 2, 3);
            });
    assertThat(kafka.describeTopic("orders")).contains("min.insync.replicas=2");
    assertThat(kafka.bootstrapServers().split(",")).hasSize(3);
  }

  @Test
  @Order(2)
  void consumerReadsBackWhatTheProducerSent(@TempDir Path work) throws Exception {
    kafka.createTopic("round-trip", 3, 3, Map.of());
    List<String> sent =
        IntStream.range(0, 100).mapToObj(i -> "CUS_" + (i % 7) + ":order-" + i).toList();
    Path input = Files.write(work.resolve("records.txt"), sent);

    kafka
        .runTool(
            input,
            KafkaCluster.CONSOLE_PRODUCER,
            "--bootstrap-server",
            kafka.bootstrapServers(),
            "--topic",
            "round-trip",
            "--property",
            "parse.key=true",
            "--property",
            "key.separator=:",
            "--producer-property",
            "acks=all")
        .orThrow("console producer");
    JvmProcess.Result consumed =
        kafka
            .runTool(
                KafkaCluster.CONSOLE_CONSUMER,
                "--bootstrap-server",
                kafka.bootstrapServers(),
                "--topic",
                "round-trip",
                "--from-beginning",
                "--max-messages",
                "100",
                "--timeout-ms",
                "60000",
                "--property",
                "print.key=true",
                "--property",
                "key.separator=:")
            .orThrow("console consumer");

    Set<String> received = consumed.stdout().lines().collect(Collectors.toSet());
    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  @Order(3)
  void stoppedNodeLeavesTheIsrAndRejoinsItWhenStarted() {
    long pid = kafka.pid(2);

    kafka.stopNode(2);
    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(kafka.partitions("orders").values())
        .allSatisfy(partition -> assertThat(partition.isr()).containsExactlyInAnyOrder(1, 3));

    kafka.startNode(2);
    assertThat(kafka.partitions("orders").values())
        .allSatisfy(partition -> assertThat(partition.isr()).hasSize(3));
  }

  @Test
  @Order(4)
  void closeLeavesNoProcessAndFreesThePorts() {
    List<Long> pids = kafka.nodeIds().stream().map(kafka::pid).toList();
    List<Integer> ports =
        kafka.nodeIds().stream()
            .flatMap(id -> List.of(kafka.port(id), kafka.controllerPort(id)).stream())
            .toList();

    kafka.close();

    assertThat(pids)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
    assertThat(ports)
        .allSatisfy(port -> assertThat(Ports.isFree(port)).as("port %d", port).isTrue());
  }

  @Test
  @Order(5)
  void restartOnTheSameDataDirKeepsClusterIdAndTopics() throws Exception {
    String clusterId = Files.readString(dataDir.resolve("cluster.id"));

    kafka = KafkaCluster.builder().freePorts().dataDir(dataDir).build().start();

    assertThat(Files.readString(dataDir.resolve("cluster.id"))).isEqualTo(clusterId);
    assertThat(kafka.partitions("orders")).hasSize(10);
  }
}
