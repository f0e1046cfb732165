package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
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

  @Test
  void kafkaClientKeysBecomeTheQuarkusKafkaVariables() {
    Map<String, String> env =
        Producer.kafkaEnvironment(
            Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "M required username=\"u\" password=\"p\";"));

    assertThat(env)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", "M required username=\"u\" password=\"p\";"));
  }
}
