package io.flowders.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateScheduleTest {

  private static final RateSchedule SPIKE = RateSchedule.parse("0s:100,60s:2000,90s:100");

  @Test
  void readsStepsAndLetsTheLastLastAsLongAsTheFirst() {
    assertEquals(
        List.of(
            new RateSchedule.Step(Duration.ZERO, 100),
            new RateSchedule.Step(Duration.ofSeconds(60), 2000),
            new RateSchedule.Step(Duration.ofSeconds(90), 100)),
        SPIKE.steps());
    assertEquals(Duration.ofSeconds(150), SPIKE.cycle());
    assertEquals("0s:100,60s:2000,90s:100,150s", SPIKE.toString());
  }

  @Test
  void aFinalBareOffsetIsTheCycleLength() {
    RateSchedule schedule = RateSchedule.parse("0s:100,60s:2000,90s");
    assertEquals(2, schedule.steps().size());
    assertEquals(Duration.ofSeconds(90), schedule.cycle());

    assertEquals(Duration.ofSeconds(60), RateSchedule.parse("0s:5,60s").cycle());
  }

  @Test
  void takesDurationsAndRatesAsTheOtherSettingsDo() {
    RateSchedule schedule = RateSchedule.parse(" 0 : 0 , PT1M30S:max, 5m:0.5 ,1h ");
    assertEquals(
        List.of(
            new RateSchedule.Step(Duration.ZERO, 0),
            new RateSchedule.Step(Duration.ofSeconds(90), OrderProducer.MAX_RATE),
            new RateSchedule.Step(Duration.ofMinutes(5), 0.5)),
        schedule.steps());
    assertEquals(Duration.ofHours(1), schedule.cycle());
    assertEquals("0s:0,90s:max,300s:0.5,3600s", schedule.toString());
  }

  @Test
  void rejectsEachMalformedScheduleSayingWhatIsWrong() {
    assertInvalid("", "it is empty");
    assertInvalid("   ", "it is empty");
    assertInvalid("0s:100,,60s:5", "step 2 is empty");
    assertInvalid("0s:100,60s:5,", "step 3 is empty");
    assertInvalid("0s:100,60s,90s:5", "'60s' has no rate (only the last item may be a bare offset");
    assertInvalid("90s", "'90s' has no rate");
    assertInvalid("0s:100,soon:5", "'soon' is not a duration");
    assertInvalid("0s:100,:5", "'' is not a duration");
    assertInvalid("0s:100,-5s:5", "offset -5s is negative");
    assertInvalid("0s:100,1500ms:5", "offset 1500ms is not a whole number of seconds");
    assertInvalid("0s:fast,60s:5", "'0s:fast': rate is not a number: fast");
    assertInvalid("0s:100,60s:-3", "'60s:-3': rate must be >= 0 orders per second, or max: -3");
    assertInvalid("0s:100,60s:", "'60s:': rate missing");
    assertInvalid("10s:100,60s:5", "the first step must start at 0s, not at 10s");
    assertInvalid("0s:100,90s:5,60s:7", "'60s:7' does not come after the step before it");
    assertInvalid("0s:100,60s:5,60s:7", "'60s:7' does not come after the step before it");
    assertInvalid(
        "0s:100,60s:5,30s", "the cycle's length 30s must come after the last step's offset");
    assertInvalid(
        "0s:100", "a single step repeats only with the cycle's length after it (0s:100,60s)");
  }

  private static void assertInvalid(String schedule, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RateSchedule.parse(schedule), schedule);
    assertTrue(
        e.getMessage().startsWith("Invalid rate schedule: " + reason),
        schedule + ": " + e.getMessage());
    assertTrue(
        e.getMessage().endsWith("e.g. 0s:100,60s:2000,90s:100 or 0s:100,60s:2000,90s"),
        e.getMessage());
  }

  @Test
  void eachStepHoldsFromItsOffsetUntilTheNextAcrossCycles() {
    assertAt(SPIKE, "0s", 0, 100);
    assertAt(SPIKE, "59.999s", 0, 100);
    assertAt(SPIKE, "60s", 1, 2000);
    assertAt(SPIKE, "89s", 1, 2000);
    assertAt(SPIKE, "90s", 2, 100);
    assertAt(SPIKE, "149.999s", 2, 100);
    // Second cycle: same rates, new step numbers, so a boundary between equal rates still counts.
    assertAt(SPIKE, "150s", 3, 100);
    assertAt(SPIKE, "210s", 4, 2000);
    assertAt(SPIKE, "240s", 5, 100);
    // Far along: derived from elapsed time alone, so nothing drifts however long it runs.
    long cycles = 1_000_000;
    assertAt(SPIKE, (150 * cycles + 75) + "s", 3 * cycles + 1, 2000);
  }

  @Test
  void aBareOffsetEndsTheCycleEarly() {
    RateSchedule schedule = RateSchedule.parse("0s:100,60s:2000,90s");
    assertAt(schedule, "89s", 1, 2000);
    assertAt(schedule, "90s", 2, 100);
    assertAt(schedule, "150s", 3, 2000);
  }

  @Test
  void refusesNegativeElapsedTime() {
    assertThrows(IllegalArgumentException.class, () -> SPIKE.at(Duration.ofNanos(-1)));
  }

  private static void assertAt(RateSchedule schedule, String elapsed, long step, double rate) {
    Duration at = io.quarkus.runtime.configuration.DurationConverter.parseDuration(elapsed);
    assertEquals(new RateSchedule.Position(step, rate), schedule.at(at), elapsed);
  }
}
