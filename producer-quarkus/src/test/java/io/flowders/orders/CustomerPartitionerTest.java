package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.junit.jupiter.api.Test;

class CustomerPartitionerTest {

  private static final int PARTITIONS = 10;

  @Test
  void tenCustomersGetTenDistinctPartitions() {
    Set<Integer> partitions = new HashSet<>();
    for (int n = 1; n <= 10; n++) {
      partitions.add(partitionOf(Customers.id(n)));
    }

    assertEquals(10, partitions.size());
  }

  @Test
  void customerNumberPicksThePartition() {
    assertEquals(0, partitionOf("CUS_1"));
    assertEquals(9, partitionOf("CUS_10"));
    assertEquals(0, partitionOf("CUS_11"));
    assertEquals(4, partitionOf("CUS_25"));
  }

  @Test
  void twentyFiveCustomersSpreadWithinOneOfEachOther() {
    int[] customersPerPartition = new int[PARTITIONS];
    for (int n = 1; n <= 25; n++) {
      customersPerPartition[partitionOf(Customers.id(n))]++;
    }

    for (int count : customersPerPartition) {
      assertTrue(count == 2 || count == 3, java.util.Arrays.toString(customersPerPartition));
    }
  }

  @Test
  void otherKeysHashLikeKafkasDefault() {
    for (String key : List.of("CUS_0", "CUS_", "CUS_x1", "customer-7", "CUS_99999999999", "")) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      assertEquals(BuiltInPartitioner.partitionForKey(bytes, PARTITIONS), partitionOf(key), key);
    }
  }

  @Test
  void readsThePartitionCountFromTheCluster() {
    List<PartitionInfo> partitions = new ArrayList<>();
    Node node = new Node(1, "127.0.0.1", 9092);
    for (int p = 0; p < 4; p++) {
      partitions.add(new PartitionInfo("orders", p, node, new Node[] {node}, new Node[] {node}));
    }
    Cluster cluster = new Cluster("c", List.of(node), partitions, Set.of(), Set.of());

    try (CustomerPartitioner partitioner = new CustomerPartitioner()) {
      assertEquals(
          2, partitioner.partition("orders", "CUS_7", bytes("CUS_7"), null, null, cluster));
    }
  }

  private static int partitionOf(String key) {
    return CustomerPartitioner.partition(key, bytes(key), PARTITIONS);
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }
}
