package io.flowders.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The faults {@code ./flowders faults} injects, each alone, while orders flow. */
enum FaultScenario {
  BROKER_KILL(
      "broker-kill",
      "each Kafka node in turn SIGKILLed, down 30 s, restarted (the active controller is one of"
          + " them)"),
  ALL_BROKERS_DOWN(
      "all-brokers-down",
      "every Kafka node SIGKILLed, all down for 3 minutes, then started again (the producer and"
          + " the job ride it out or are restarted)"),
  S3_DOWN("s3-down", "the S3 server stopped for 60 s while the job commits, then started again"),
  S3_FLAKY(
      "s3-flaky",
      "S3 slow and flaky for 2 minutes: a proxy between the job and S3 adds 2 s to each chunk"
          + " each way and resets 10% of new connections"),
  DRIVER_KILL(
      "driver-kill",
      "the job's driver SIGKILLed at random moments of its batches (some between the ledger and"
          + " the totals commits), restarted by its supervisor each time"),
  LOST_CHECKPOINT(
      "lost-checkpoint",
      "the driver SIGKILLed right after a batch's ledger commit (before its totals commit), its"
          + " checkpoint deleted, then started again"),
  EXECUTOR_KILL("executor-kill", "an executor SIGKILLed in the middle of a batch"),
  PRODUCER_KILL(
      "producer-kill", "the producer SIGKILLed and started again (its order ids stay unique)"),
  PRODUCER_CUT_OFF(
      "producer-cut-off",
      "Kafka unreachable for the producer only for 2 minutes: proxies in front of every node"
          + " reset its connections and refuse new ones, while the job still reads");

  private final String id;
  private final String description;

  FaultScenario(String id, String description) {
    this.id = id;
    this.description = description;
  }

  String id() {
    return id;
  }

  String description() {
    return description;
  }

  static FaultScenario of(String id) {
    return Arrays.stream(values())
        .filter(s -> s.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no scenario " + id + "; there are " + help("  ").strip()));
  }

  static String help(String indent) {
    return Arrays.stream(values())
        .map(s -> indent + s.id + ": " + s.description)
        .collect(Collectors.joining("\n"));
  }
}
