package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {

  @Test
  void readsTheRegistryDefaults() {
    StackConfig config = StackConfig.load(Map.of());

    assertThat(config.kafkaClientPorts()).containsExactly(9092, 9093, 9094);
    assertThat(config.topic()).isEqualTo("orders");
    assertThat(config.topicPartitions()).isEqualTo(10);
    assertThat(config.s3Port()).isEqualTo(9000);
    assertThat(config.sparkMasterPort()).isEqualTo(7077);
    assertThat(config.sparkWorkerUiPorts()).containsExactly(8091, 8092);
  }

  @Test
  void environmentOverridesADefault() {
    StackConfig config =
        StackConfig.load(
            Map.of("FLOWDERS_TOPIC", "orders-test", "FLOWDERS_EXTRA", "x", "PATH", "/bin"));

    assertThat(config.topic()).isEqualTo("orders-test");
    assertThat(config.trigger()).isEqualTo("10 seconds");
    assertThat(config.asMap()).containsEntry("FLOWDERS_TOPIC", "orders-test");
    assertThat(config.asMap()).doesNotContainKeys("FLOWDERS_EXTRA", "PATH");
  }

  @Test
  void listsAreCommaSeparatedAndTrimmed() {
    assertThat(
            StackConfig.load(Map.of("FLOWDERS_KAFKA_CONTROLLER_PORTS", "1, 2 ,3"))
                .kafkaControllerPorts())
        .isEqualTo(List.of(1, 2, 3));
  }

  @Test
  void blankMeansTheDefaultAndAMalformedValueNamesTheKey() {
    assertThat(StackConfig.load(Map.of(StackConfig.TOPIC, " ")).topic()).isEqualTo("orders");
    assertThatThrownBy(() -> StackConfig.load(Map.of(StackConfig.TOPIC_PARTITIONS, "ten")))
        .hasMessageContaining(StackConfig.TOPIC_PARTITIONS)
        .hasMessageContaining("ten");
  }

  @Test
  void homeIsFoundByWalkingUpToTheEnvFile() {
    assertThat(FlowdersHome.root().resolve(FlowdersHome.MARKER)).isRegularFile();
  }
}
