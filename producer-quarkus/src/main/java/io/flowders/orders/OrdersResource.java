package io.flowders.orders;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * Runtime control: {@code PUT /orders/rate} (body or {@code ?value=}, with the bearer token of
 * {@link RateToken}) and {@code GET /orders/stats} (open, like health and metrics: the port is on
 * loopback).
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

  @Inject OrderProducer producer;
  @Inject RateControl rateControl;
  @Inject RateToken rateToken;

  @GET
  @Path("/stats")
  public OrderStats.Snapshot stats() {
    return producer.stats();
  }

  /**
   * Accepts orders per second (0 pauses) or {@code max} / {@code -1}, until the rate schedule's
   * next step if there is one; answers with the stats, or 401 without the token (checked first: a
   * caller without it learns nothing about the rate).
   */
  @PUT
  @Path("/rate")
  public Response rate(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @QueryParam("value") String value,
      String body) {
    Optional<Response> refusal = rateToken.refusal(authorization);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    String requested = value != null ? value : body;
    try {
      rateControl.set(OrderProducer.parseRate(requested));
    } catch (IllegalArgumentException e) {
      return Response.status(Response.Status.BAD_REQUEST)
          .type(MediaType.TEXT_PLAIN)
          .entity(e.getMessage() + "\n")
          .build();
    }
    return Response.ok(producer.stats()).build();
  }
}
