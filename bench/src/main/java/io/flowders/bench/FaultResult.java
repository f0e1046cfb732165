package io.flowders.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The checks of one scenario. {@code acknowledged}: orders the producers acknowledged (a lower
 * bound when a producer was killed: what it acknowledged after the last look is unknown); {@code
 * records}: records in the topic; {@code expected}: distinct accepted order ids in the topic;
 * {@code counted}: orders in {@code customer_minute_totals}; {@code lost}: acknowledged orders not
 * counted (per (window, customer) shortfalls of the table, plus acknowledged orders the topic does
 * not hold); {@code doubled}: per (window, customer) excesses; {@code recoverySeconds}: from the
 * fault's end to the first batch within the freshness target (the longest of a scenario's faults),
 * null if it never came; {@code verify}: equal, different, or the error that stopped the run;
 * {@code killsBetweenCommits}: driver kills that landed after a batch's ledger commit and before
 * its totals commit.
 */
record FaultResult(
    FaultScenario scenario,
    long acknowledged,
    long failed,
    long records,
    long expected,
    long counted,
    long rejected,
    long duplicates,
    long lost,
    long doubled,
    Double recoverySeconds,
    String verify,
    int killsBetweenCommits,
    String error) {

  static final String EQUAL = "equal";

  static FaultResult of(
      FaultScenario scenario,
      long acknowledged,
      long failed,
      long records,
      JsonNode verify,
      Duration recovery,
      int killsBetweenCommits) {
    long expected = verify.path("expected").asLong();
    long lostByKafka = Math.max(0, acknowledged - expected);
    return new FaultResult(
        scenario,
        acknowledged,
        failed,
        records,
        expected,
        verify.path("counted").asLong(),
        verify.path("rejected").asLong(),
        verify.path("duplicates").asLong(),
        verify.path("lost").asLong() + lostByKafka,
        verify.path("doubled").asLong(),
        recovery == null ? null : recovery.toMillis() / 1000.0,
        verify.path("verify").asText(),
        killsBetweenCommits,
        null);
  }

  static FaultResult failed(FaultScenario scenario, String error) {
    return new FaultResult(scenario, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, "not run", 0, error);
  }

  /** No loss, no double count, verify equal, freshness back. */
  boolean holds() {
    return error == null
        && lost == 0
        && doubled == 0
        && EQUAL.equals(verify)
        && recoverySeconds != null;
  }
}
