package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.settings.KafkaClientProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void theConfigFileHoldsTheKafkaLoginAsQuarkusKafkaKeysAndTheRateTokenForTheOwnerOnly(
      @TempDir Path dir) throws IOException {
    Path clientConfig =
        Files.writeString(
            dir.resolve("client.properties"),
            "security.protocol=SASL_PLAINTEXT\n"
                + "sasl.mechanism=SCRAM-SHA-512\n"
                + "sasl.jaas.config=M required username=\"u\" password=\"p\";\n");

    Path config =
        Producer.writeConfig(dir.resolve("producer.properties"), Optional.of(clientConfig), "t0k");

    assertThat(KafkaClientProperties.read(config))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "M required username=\"u\" password=\"p\";",
                "orders.rate-token", "t0k"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
  }

  @Test
  void withoutAKafkaLoginTheConfigFileHoldsTheRateTokenOnly(@TempDir Path dir) {
    Path config = Producer.writeConfig(dir.resolve("p.properties"), Optional.empty(), "t0k");

    assertThat(KafkaClientProperties.read(config))
        .containsExactly(Map.entry("orders.rate-token", "t0k"));
  }
}
