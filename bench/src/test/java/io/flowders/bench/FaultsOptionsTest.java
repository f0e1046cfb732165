package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultsOptionsTest {

  @Test
  void defaultsAreTheFullRunOfEveryScenario() {
    FaultsOptions options = FaultsOptions.parse();
    assertThat(options.scenarios()).containsExactly(FaultScenario.values());
    assertThat(options.rate()).isEqualTo(2000);
    assertThat(options.driverKills()).isEqualTo(10);
    assertThat(options.output()).isEqualTo("faults/results");
    assertThat(options.scaled(Duration.ofMinutes(3))).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void scenariosRunInTheOrderGiven() {
    FaultsOptions options =
        FaultsOptions.parse("--scenarios", "producer-kill,driver-kill", "--rate", "300");
    assertThat(options.scenarios())
        .isEqualTo(List.of(FaultScenario.PRODUCER_KILL, FaultScenario.DRIVER_KILL));
    assertThat(options.rate()).isEqualTo(300);
  }

  @Test
  void timeScaleShortensEveryFaultButNeverBelowASecond() {
    FaultsOptions options = FaultsOptions.parse("--time-scale", "0.1");
    assertThat(options.scaled(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(6));
    assertThat(options.scaled(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refusesUnknownScenariosAndScalesOutsideZeroToOne() {
    assertThatThrownBy(() -> FaultsOptions.parse("--scenarios", "meteor"))
        .hasMessageContaining("no scenario meteor")
        .hasMessageContaining("broker-kill");
    assertThatThrownBy(() -> FaultsOptions.parse("--time-scale", "2"))
        .hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> FaultsOptions.parse("--rate", "0"))
        .hasMessageContaining("positive whole number");
  }
}
