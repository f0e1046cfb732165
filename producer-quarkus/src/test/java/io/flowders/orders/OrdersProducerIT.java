package io.flowders.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaClusterResource.class)
class OrdersProducerIT {

  /** Reads amounts as written: 608.20 stays 608.20, scale 2. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private static final int PARTITIONS = 10;

  @ConfigProperty(name = "kafka.bootstrap.servers")
  String bootstrapServers;

  @ConfigProperty(name = "mp.messaging.outgoing.orders.topic")
  String topic;

  @Test
  void everyAcknowledgedOrderIsInTheTopicOnceKeyedAndOnItsCustomersPartition() throws Exception {
    long before = ProducerClient.stats().acknowledged();
    ProducerClient.rate("500");
    ProducerClient.awaitAcknowledged(before + 1_500, Duration.ofSeconds(60));
    OrderStats.Snapshot stats = ProducerClient.pauseAndSettle();

    List<ConsumerRecord<String, String>> records =
        TopicContents.readAll(bootstrapServers, topic, Duration.ofSeconds(60));

    assertEquals(0, stats.failed());
    assertEquals(stats.acknowledged(), records.size());
    Set<Long> orderIds = new HashSet<>();
    Set<Integer> partitions = new HashSet<>();
    for (ConsumerRecord<String, String> record : records) {
      JsonNode order = JSON.readTree(record.value());
      String customer = order.get("customer_id").textValue();
      assertEquals(customer, record.key());
      assertEquals(
          (Customers.number(customer) - 1) % PARTITIONS, record.partition(), record.value());
      assertTrue(orderIds.add(order.get("order_id").longValue()), "duplicate " + record.value());
      BigDecimal amount = order.get("amount").decimalValue();
      assertTrue(amount.scale() == 2 && amount.signum() > 0, record.value());
      Instant.parse(order.get("timestamp").textValue());
      partitions.add(record.partition());
    }
    assertEquals(PARTITIONS, partitions.size());
  }

  @Test
  void readinessAndMetricsReflectTheKafkaConnection() throws Exception {
    ProducerClient.rate("50");
    long acknowledged =
        ProducerClient.awaitAcknowledged(
                ProducerClient.stats().acknowledged() + 10, Duration.ofSeconds(60))
            .acknowledged();
    OrderStats.Snapshot stats = ProducerClient.pauseAndSettle();

    assertTrue(stats.acknowledged() >= acknowledged);
    given().get("/q/health/ready").then().statusCode(200);
    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("orders_acknowledged_total " + (double) stats.acknowledged()))
        .body(containsString("orders_sent_total " + (double) stats.sent()))
        .body(containsString("orders_failed_total 0.0"))
        .body(containsString("orders_send_latency_seconds_count " + (double) stats.acknowledged()));
  }

  @Test
  void rateAcceptsMaxAndRejectsNonsense() {
    ProducerClient.authorized()
        .queryParam("value", "max")
        .put("/orders/rate")
        .then()
        .statusCode(200)
        .body(containsString("\"rate\":-1.0"));
    ProducerClient.authorized().body("fast").put("/orders/rate").then().statusCode(400);
    ProducerClient.authorized()
        .body("0")
        .put("/orders/rate")
        .then()
        .statusCode(200)
        .body(containsString("\"rate\":0.0"));
  }
}
