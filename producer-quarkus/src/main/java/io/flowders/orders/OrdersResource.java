package io.flowders.orders;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Runtime control: {@code PUT /orders/rate} (body or {@code ?value=}) and {@code GET
 * /orders/stats}.
 */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

  @Inject OrderProducer producer;

  @GET
  @Path("/stats")
  public OrderStats.Snapshot stats() {
    return producer.stats();
  }

  /** Accepts orders per second (0 pauses) or {@code max} / {@code -1}; answers with the stats. */
  @PUT
  @Path("/rate")
  public Response rate(@QueryParam("value") String value, String body) {
    String requested = value != null ? value : body;
    try {
      producer.rate(OrderProducer.parseRate(requested));
    } catch (IllegalArgumentException e) {
      return Response.status(Response.Status.BAD_REQUEST)
          .type(MediaType.TEXT_PLAIN)
          .entity(e.getMessage() + "\n")
          .build();
    }
    return Response.ok(producer.stats()).build();
  }
}
