package io.flowders.orders;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may change the rate: a request whose {@code Authorization} header carries this producer's
 * {@code ORDERS_RATE_TOKEN} as a bearer token. Without a configured token nobody may, so a producer
 * started without one is never open to whoever reaches its port.
 */
@Singleton
public class RateToken {

  static final String ENV = "ORDERS_RATE_TOKEN";
  private static final String BEARER = "Bearer ";

  /** The 401 body: what went wrong and what to do about it. */
  public record Refusal(String error, String fix) {}

  private final Optional<byte[]> token;

  @Inject
  RateToken(OrdersConfig config) {
    this(config.rateToken());
  }

  RateToken(Optional<String> token) {
    this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Nothing when {@code authorization} (the header's value, null when absent) carries the token;
   * otherwise the 401 to answer with.
   */
  public Optional<Response> refusal(String authorization) {
    if (token.isEmpty()) {
      return Optional.of(
          unauthorized(
              "Bearer realm=\"flowders-producer\"",
              new Refusal(
                  "this producer has no rate token ("
                      + ENV
                      + " is unset): it refuses every rate"
                      + " change",
                  "restart it with "
                      + ENV
                      + "=<secret> in its environment (./flowders up does;"
                      + " ./flowders credentials producer.rate-token prints the stack's) and send"
                      + " Authorization: Bearer <secret>")));
    }
    if (authorization != null && accepts(presented(authorization))) {
      return Optional.empty();
    }
    return Optional.of(
        unauthorized(
            authorization == null
                ? "Bearer realm=\"flowders-producer\""
                : "Bearer realm=\"flowders-producer\", error=\"invalid_token\"",
            new Refusal(
                authorization == null
                    ? "PUT /orders/rate needs the header Authorization: Bearer <token>"
                    : "wrong token in the Authorization header",
                "send Authorization: Bearer <token>, the token being this producer's "
                    + ENV
                    + "; for the stack of ./flowders up: ./flowders credentials"
                    + " producer.rate-token (stored in .flowders/credentials.properties)")));
  }

  /** In constant time: how long the comparison takes says nothing about the token. */
  private boolean accepts(String presented) {
    return MessageDigest.isEqual(token.get(), presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The token of a {@code Bearer} header (the scheme in any case), or the blank string. */
  private static String presented(String authorization) {
    String header = authorization.strip();
    return header.regionMatches(true, 0, BEARER, 0, BEARER.length())
        ? header.substring(BEARER.length()).strip()
        : "";
  }

  private static Response unauthorized(String challenge, Refusal refusal) {
    return Response.status(Response.Status.UNAUTHORIZED)
        .header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .type(MediaType.APPLICATION_JSON)
        .entity(refusal)
        .build();
  }
}
