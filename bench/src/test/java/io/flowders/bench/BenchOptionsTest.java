package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsMeasureEverythingThreeTimesOnAMillionOrders() {
    BenchOptions o = BenchOptions.parse();

    assertThat(o.attach()).isFalse();
    assertThat(o.phases()).containsExactlyInAnyOrder("producer", "job", "freshness");
    assertThat(o.repeats()).isEqualTo(3);
    assertThat(o.orders()).isEqualTo(1_000_000);
    assertThat(o.rates()).containsExactly(10_000, 20_000, 35_000, 50_000, 75_000, 100_000);
    assertThat(o.rateSeconds()).isEqualTo(180);
  }

  @Test
  void everyKnobIsAFlag() {
    BenchOptions o =
        BenchOptions.parse(
            "--attach",
            "--phases",
            "job,freshness",
            "--repeats",
            "1",
            "--orders",
            "2_000_000",
            "--producer-seconds",
            "5",
            "--rates",
            "50,500",
            "--rate-seconds",
            "60",
            "--warm-up-seconds",
            "10",
            "--output",
            "/tmp/x");

    assertThat(o.attach()).isTrue();
    assertThat(o.runs("producer")).isFalse();
    assertThat(o.runs("job")).isTrue();
    assertThat(o.orders()).isEqualTo(2_000_000);
    assertThat(o.rates()).isEqualTo(List.of(50, 500));
    assertThat(o.warmUpSeconds()).isEqualTo(10);
    assertThat(o.output()).isEqualTo("/tmp/x");
  }

  @Test
  void aBacklogReadByThePlainConsumerAndTheLocalJobNeedsNoCluster() {
    BenchOptions o =
        BenchOptions.parse(
            "--phases",
            "job",
            "--readers",
            "plain-consumer,job-local",
            "--job-jvm-args",
            " -XX:+UnlockDiagnosticVMOptions  -XX:+DebugNonSafepoints ");

    assertThat(o.readers()).containsExactly("plain-consumer", "job-local");
    assertThat(o.jobJvmArgs())
        .containsExactly("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");
    assertThat(o.needsCluster()).isFalse();
    assertThat(BenchOptions.parse("--phases", "job").needsCluster()).isTrue();
    assertThat(BenchOptions.parse("--phases", "freshness", "--readers", "job-local").needsCluster())
        .isTrue();
    assertThatThrownBy(() -> BenchOptions.parse("--readers", "plain,job-local"))
        .hasMessageContaining(
            "consumer-performance,plain-consumer,kafka-streams,spark-aggregation,job-local,job-cluster");
  }

  @Test
  void badValuesSayWhatIsExpected() {
    assertThatThrownBy(() -> BenchOptions.parse("--repeats", "0"))
        .hasMessageContaining("--repeats takes a positive whole number");
    assertThatThrownBy(() -> BenchOptions.parse("--phases", "producer,ui"))
        .hasMessageContaining("producer,job,freshness");
    assertThatThrownBy(() -> BenchOptions.parse("--orders"))
        .hasMessageContaining("missing value after --orders");
    assertThatThrownBy(() -> BenchOptions.parse("--warm-up-seconds", "200"))
        .hasMessageContaining("less than --rate-seconds");
    assertThatThrownBy(() -> BenchOptions.parse("--fast", "1"))
        .hasMessageContaining("unknown option --fast");
  }
}
