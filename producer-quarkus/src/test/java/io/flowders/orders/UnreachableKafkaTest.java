package io.flowders.orders;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kafka absent: the producer holds at its bound of unacknowledged orders instead of buffering. */
@QuarkusTest
@TestProfile(UnreachableKafkaTest.NoKafka.class)
class UnreachableKafkaTest {

  private static final int MAX_UNACKED = 20;

  @Test
  void stopsAtMaxUnackedAndIsNotReady() throws Exception {
    ProducerClient.rate("max");
    ProducerClient.await(
        MAX_UNACKED + " orders in flight",
        Duration.ofSeconds(30),
        s -> s.inFlight() == MAX_UNACKED);

    long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < deadline) {
      OrderStats.Snapshot stats = ProducerClient.stats();
      assertEquals(MAX_UNACKED, stats.sent(), stats.toString());
      assertEquals(0, stats.acknowledged() + stats.failed(), stats.toString());
      Thread.sleep(100);
    }
    given().get("/q/health/ready").then().statusCode(503);
    ProducerClient.rate("0");
  }

  public static class NoKafka implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "kafka.bootstrap.servers",
          "127.0.0.1:" + closedPort(),
          "orders.max-unacked",
          Integer.toString(MAX_UNACKED),
          "orders.shutdown-timeout",
          "1s",
          "mp.messaging.outgoing.orders.close-timeout",
          "1000");
    }

    private static int closedPort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
