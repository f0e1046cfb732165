package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateTokenTest {

  private final RateToken configured = new RateToken(Optional.of("s3cr3t-token"));

  @Test
  void acceptsTheBearerTokenWhateverTheSchemesCase() {
    assertTrue(configured.refusal("Bearer s3cr3t-token").isEmpty());
    assertTrue(configured.refusal("bearer s3cr3t-token").isEmpty());
    assertTrue(configured.refusal("  BEARER   s3cr3t-token ").isEmpty());
  }

  @Test
  void refusesAMissingWrongOrOtherSchemesToken() {
    for (String header :
        new String[] {
          null,
          "",
          "Bearer",
          "Bearer ",
          "Bearer s3cr3t-toke",
          "Bearer s3cr3t-token2",
          "Basic s3cr3t-token",
          "s3cr3t-token"
        }) {
      Response refusal = configured.refusal(header).orElseThrow(() -> new AssertionError(header));
      assertEquals(401, refusal.getStatus(), header);
      assertTrue(
          refusal.getHeaderString(HttpHeaders.WWW_AUTHENTICATE).startsWith("Bearer "), header);
      RateToken.Refusal body = (RateToken.Refusal) refusal.getEntity();
      assertTrue(body.fix().contains("./flowders credentials producer.rate-token"), body.fix());
    }
  }

  @Test
  void withoutAConfiguredTokenEveryRequestIsRefusedWithTheVariableToSet() {
    for (Optional<String> unset : List.of(Optional.<String>empty(), Optional.of(" "))) {
      RateToken none = new RateToken(unset);
      for (String header : new String[] {null, "Bearer ", "Bearer anything"}) {
        Response refusal = none.refusal(header).orElseThrow(() -> new AssertionError(header));
        assertEquals(401, refusal.getStatus());
        RateToken.Refusal body = (RateToken.Refusal) refusal.getEntity();
        assertTrue(body.error().contains("ORDERS_RATE_TOKEN is unset"), body.error());
        assertTrue(body.fix().contains("ORDERS_RATE_TOKEN=<secret>"), body.fix());
      }
    }
  }
}
