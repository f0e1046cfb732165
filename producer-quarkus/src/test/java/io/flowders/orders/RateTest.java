package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void acceptsOrdersPerSecondZeroAndMax() {
    assertEquals(2.0, OrderProducer.parseRate("2"));
    assertEquals(0.5, OrderProducer.parseRate(" 0.5\n"));
    assertEquals(0.0, OrderProducer.parseRate("0"));
    assertEquals(OrderProducer.MAX_RATE, OrderProducer.parseRate("max"));
    assertEquals(OrderProducer.MAX_RATE, OrderProducer.parseRate("MAX"));
    assertEquals(OrderProducer.MAX_RATE, OrderProducer.parseRate("-1"));
  }

  @Test
  void rejectsWhatIsNotARate() {
    for (String bad : new String[] {null, "", " ", "fast", "-2", "NaN", "Infinity"}) {
      assertThrows(IllegalArgumentException.class, () -> OrderProducer.parseRate(bad), bad);
    }
  }
}
