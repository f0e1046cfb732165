package io.flowders.parse;

/**
 * What {@link OrderParser} made of one Kafka record value: an order, or a reason a person can read.
 */
public sealed interface ParseResult permits ParseResult.Accepted, ParseResult.Rejected {

  record Accepted(Order order) implements ParseResult {}

  record Rejected(String reason) implements ParseResult {}
}
