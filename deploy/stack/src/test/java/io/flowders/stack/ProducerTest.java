package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProducerTest {

  @Test
  void statsAreReadFromTheProducersJson() {
    // GET /orders/stats as Jackson writes OrderStats.Snapshot; -1.0 is the max rate
    Producer.Stats stats =
        Producer.Stats.parse(
            "{\"sent\":1200,\"acknowledged\":1180,\"failed\":2,\"rate\":-1.0,\"inFlight\":18}");

    assertThat(stats).isEqualTo(new Producer.Stats(1200, 1180, 2, -1.0, 18));
  }

  @Test
  void aBodyWithoutACountSaysWhichIsMissing() {
    assertThatThrownBy(() -> Producer.Stats.parse("{\"sent\":1}"))
        .hasMessageContaining("\"acknowledged\"");
  }
}
