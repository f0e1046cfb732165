package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {

  @Test
  void readsTheRepositoryEnvFile() {
    StackConfig config = StackConfig.load(FlowdersHome.resolve(StackConfig.FILE), Map.of());

    assertThat(config.kafkaClientPorts()).containsExactly(9092, 9093, 9094);
    assertThat(config.topic()).isEqualTo("orders");
    assertThat(config.topicPartitions()).isEqualTo(10);
    assertThat(config.s3Port()).isEqualTo(9000);
    assertThat(config.sparkMasterPort()).isEqualTo(7077);
    assertThat(config.sparkWorkerUiPorts()).containsExactly(8091, 8092);
  }

  @Test
  void environmentOverridesAFileValue(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("flowders.env"),
            "# comment\nFLOWDERS_TOPIC=orders\nFLOWDERS_TRIGGER=10 seconds\n");

    StackConfig config =
        StackConfig.load(
            file, Map.of("FLOWDERS_TOPIC", "orders-test", "FLOWDERS_EXTRA", "x", "PATH", "/bin"));

    assertThat(config.topic()).isEqualTo("orders-test");
    assertThat(config.get("FLOWDERS_TRIGGER")).isEqualTo("10 seconds");
    assertThat(config.get("FLOWDERS_EXTRA")).isEqualTo("x");
    assertThat(config.find("PATH")).isEmpty();
  }

  @Test
  void listsAreCommaSeparatedAndTrimmed(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(dir.resolve("flowders.env"), "FLOWDERS_KAFKA_CONTROLLER_PORTS=1, 2 ,3\n");

    assertThat(StackConfig.load(file, Map.of()).kafkaControllerPorts()).isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void missingOrMalformedValueNamesTheKey(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("flowders.env"), "FLOWDERS_TOPIC_PARTITIONS=ten\n");
    StackConfig config = StackConfig.load(file, Map.of());

    assertThatThrownBy(config::topic).hasMessageContaining(StackConfig.TOPIC);
    assertThatThrownBy(config::topicPartitions)
        .hasMessageContaining(StackConfig.TOPIC_PARTITIONS)
        .hasMessageContaining("ten");
  }

  @Test
  void homeIsFoundByWalkingUpToTheEnvFile() {
    assertThat(FlowdersHome.root().resolve(FlowdersHome.MARKER)).isRegularFile();
  }
}
