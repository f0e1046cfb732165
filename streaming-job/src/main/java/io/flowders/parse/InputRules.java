package io.flowders.parse;

import io.flowders.settings.FlowdersSettings;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * The input rules' settings, as the executors get them: how far ahead of its Kafka record an order
 * may be dated, and the largest amount one order may have. The rules themselves are in {@link
 * OrderParser}.
 */
public record InputRules(Duration maxClockSkew, BigDecimal maxAmount) implements Serializable {

  /** The settings' defaults. */
  public static final InputRules DEFAULTS =
      new InputRules(
          FlowdersSettings.MAX_CLOCK_SKEW.from(Map.of()),
          FlowdersSettings.MAX_AMOUNT.from(Map.of()));
}
