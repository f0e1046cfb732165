package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Samples.of(3, 1, 2).median()).isEqualTo(2);
    assertThat(Samples.of(4, 1, 3, 2).median()).isEqualTo(2.5);
  }

  @Test
  void spreadIsRangeOverMedian() {
    Samples s = Samples.of(90, 100, 110);

    assertThat(s.min()).isEqualTo(90);
    assertThat(s.max()).isEqualTo(110);
    assertThat(s.spread()).isEqualTo(0.2);
    assertThat(Samples.of(5).spread()).isZero();
  }

  @Test
  void withAddsWithoutChangingTheOriginal() {
    Samples empty = Samples.of();

    assertThat(empty.with(1).with(2).values()).containsExactly(1.0, 2.0);
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.median()).isNaN();
  }
}
