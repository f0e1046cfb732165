package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.stack.KafkaCluster;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaClusterResource.class)
class BrokerFailoverIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STOPPED_NODE = 2;
  private static final Duration PROGRESS_TIMEOUT = Duration.ofSeconds(90);

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "mp.messaging.outgoing.orders.topic")
  String topic;

  @Test
  void productionGoesOnWithABrokerDownAndNoAcknowledgedOrderIsLost() throws Exception {
    KafkaCluster kafka = KafkaCluster.shared();
    ProducerClient.rate("200");
    ProducerClient.awaitAcknowledged(ProducerClient.stats().acknowledged() + 200, PROGRESS_TIMEOUT);

    kafka.stopNode(STOPPED_NODE);
    try {
      long whileDown = ProducerClient.stats().acknowledged();
      ProducerClient.awaitAcknowledged(whileDown + 600, PROGRESS_TIMEOUT);
    } finally {
      kafka.startNode(STOPPED_NODE);
    }
    ProducerClient.awaitAcknowledged(ProducerClient.stats().acknowledged() + 200, PROGRESS_TIMEOUT);
    OrderStats.Snapshot stats = ProducerClient.pauseAndSettle();

    List<ConsumerRecord<String, String>> records =
        TopicContents.readAll(bootstrapServers, topic, Duration.ofSeconds(60));
    Set<Long> orderIds =
        records.stream().map(record -> orderId(record.value())).collect(Collectors.toSet());

    assertEquals(0, stats.failed());
    assertEquals(stats.acknowledged(), records.size());
    assertEquals(records.size(), orderIds.size(), "duplicate order ids");
  }

  private static long orderId(String json) {
    try {
      return JSON.readTree(json).get("order_id").longValue();
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }
}
