package io.flowders.orders;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/** The producer's HTTP control surface as the tests use it, with deadline-bound waits. */
final class ProducerClient {

  private ProducerClient() {}

  static OrderStats.Snapshot stats() {
    return given()
        .get("/orders/stats")
        .then()
        .statusCode(200)
        .extract()
        .as(OrderStats.Snapshot.class);
  }

  /** The running producer's {@code orders.rate-token} ({@link TestRateToken}'s). */
  static String rateToken() {
    return ConfigProvider.getConfig().getValue("orders.rate-token", String.class);
  }

  /** A request carrying the rate token, as {@code PUT /orders/rate} needs. */
  static RequestSpecification authorized() {
    return given().header("Authorization", "Bearer " + rateToken());
  }

  static OrderStats.Snapshot rate(String ordersPerSecond) {
    return authorized()
        .contentType(ContentType.TEXT)
        .body(ordersPerSecond)
        .put("/orders/rate")
        .then()
        .statusCode(200)
        .extract()
        .as(OrderStats.Snapshot.class);
  }

  /**
   * Polls the stats until {@code condition} holds, failing with the last stats after {@code
   * timeout}.
   */
  static OrderStats.Snapshot await(
      String what, Duration timeout, Predicate<OrderStats.Snapshot> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    OrderStats.Snapshot stats = stats();
    while (!condition.test(stats)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            what + " not within " + timeout.toSeconds() + " s; stats: " + stats);
      }
      Thread.sleep(100);
      stats = stats();
    }
    return stats;
  }

  static OrderStats.Snapshot awaitAcknowledged(long atLeast, Duration timeout)
      throws InterruptedException {
    return await(atLeast + " orders acknowledged", timeout, s -> s.acknowledged() >= atLeast);
  }

  /** Pauses the producer and waits until Kafka has answered for every order sent. */
  static OrderStats.Snapshot pauseAndSettle() throws InterruptedException {
    rate("0");
    return await("nothing in flight", Duration.ofSeconds(60), s -> s.inFlight() == 0);
  }
}
