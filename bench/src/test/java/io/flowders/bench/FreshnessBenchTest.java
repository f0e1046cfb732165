package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessBenchTest {

  private static FreshnessBench.Latency p99(int rate, double p99) {
    return new FreshnessBench.Latency(rate, 1000, p99 / 2, p99 - 1, p99);
  }

  @Test
  void theRateSustainedIsTheHighestHeldWithEveryLowerOneHeld() {
    double target = FreshnessBench.targetSeconds("10 seconds");
    assertThat(target).isEqualTo(15.0);
    Map<Integer, Double> reached = Map.of(10_000, 10_000.0, 20_000, 19_800.0, 35_000, 35_000.0);

    assertThat(
            FreshnessBench.sustained(
                List.of(p99(10_000, 12), p99(20_000, 14.9), p99(35_000, 40)), reached, target))
        .isEqualTo(20_000);
    // a miss ends it, even if a higher rate looked fine
    assertThat(
            FreshnessBench.sustained(
                List.of(p99(10_000, 16), p99(20_000, 14), p99(35_000, 14)), reached, target))
        .isZero();
  }

  @Test
  void aRateTheProducerDidNotReachIsNotHeld() {
    double target = FreshnessBench.targetSeconds("10 seconds");
    assertThat(
            FreshnessBench.sustained(
                List.of(p99(10_000, 12), p99(20_000, 12)),
                Map.of(10_000, 9_990.0, 20_000, 15_000.0),
                target))
        .isEqualTo(10_000);
  }
}
