package io.flowders.orders;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /orders/rate} over HTTP: only with the bearer token; the read-only endpoints stay
 * open. No Kafka is needed to change the rate, so this runs with the unreachable one.
 */
@QuarkusTest
@TestProfile(UnreachableKafkaTest.NoKafka.class)
class RateEndpointTest {

  @Test
  void withoutTheTokenTheRateIsRefusedAndUnchanged() {
    double before = ProducerClient.stats().rate();

    given()
        .body("7")
        .put("/orders/rate")
        .then()
        .statusCode(401)
        .header("WWW-Authenticate", containsString("Bearer"))
        .contentType("application/json")
        .body("error", containsString("Authorization: Bearer"))
        .body("fix", containsString("./flowders credentials producer.rate-token"));
    given()
        .header("Authorization", "Bearer not-" + ProducerClient.rateToken())
        .queryParam("value", "7")
        .put("/orders/rate")
        .then()
        .statusCode(401)
        .body("error", equalTo("wrong token in the Authorization header"));
    given()
        .header("Authorization", "Basic " + ProducerClient.rateToken())
        .body("nonsense")
        .put("/orders/rate")
        .then()
        .statusCode(401);

    assertEquals(before, ProducerClient.stats().rate());
  }

  @Test
  void withTheTokenTheRateChanges() {
    assertEquals(7.0, ProducerClient.rate("7").rate());
    assertEquals(7.0, ProducerClient.stats().rate());
    assertEquals(0.0, ProducerClient.rate("0").rate());
    ProducerClient.authorized().body("fast").put("/orders/rate").then().statusCode(400);
  }

  @Test
  void statsHealthAndMetricsNeedNoToken() {
    given().get("/orders/stats").then().statusCode(200).body(containsString("\"rate\""));
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200).body(containsString("orders_sent_total"));
  }
}
