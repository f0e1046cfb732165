package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.stack.Await;
import io.flowders.stack.FlowdersHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./flowders faults as a user runs it, scaled down to what the suite's time allows: the job's
 * driver SIGKILLed once, right after a batch's ledger commit (before its totals commit), on a stack
 * of its own at a low rate. Every acknowledged order is counted exactly once, verify agrees,
 * freshness comes back, the JSON holds the table's row, and nothing is left running. Each scenario
 * starts a job of its own (2-3 minutes to its first commit on 2 cores), so the other scenarios run
 * by hand: README, Reliability.
 */
class FaultsIT {

  private static final List<String> SCENARIOS = List.of("driver-kill");

  @Test
  void aDriverKilledAfterALedgerCommitLosesAndDoublesNoOrder(@TempDir Path out) throws Exception {
    Path log = out.resolve("faults.out");
    Process faults =
        new ProcessBuilder(
                FlowdersHome.root().resolve("flowders").toString(),
                "faults",
                "--scenarios",
                String.join(",", SCENARIOS),
                "--rate",
                "300",
                "--driver-kills",
                "1",
                "--steady-seconds",
                "10",
                "--time-scale",
                "0.1",
                "--output",
                out.toString())
            .directory(FlowdersHome.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = faults.waitFor(25, TimeUnit.MINUTES);
    if (!finished) {
      faults.descendants().forEach(ProcessHandle::destroyForcibly);
      faults.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished).as(output).isTrue();
    assertThat(faults.exitValue()).as(output).isZero();

    JsonNode result = new ObjectMapper().readTree(single(out).toFile());
    JsonNode rows = result.path("scenarios");
    assertThat(rows).as(output).hasSize(SCENARIOS.size());
    for (int i = 0; i < SCENARIOS.size(); i++) {
      JsonNode row = rows.get(i);
      String id = SCENARIOS.get(i);
      assertThat(row.path("scenario").asText()).isEqualTo(id);
      long acknowledged = row.path("acknowledged").asLong();
      long counted = row.path("counted").asLong();
      assertThat(acknowledged).as(id).isGreaterThan(1_000);
      assertThat(row.path("lost").asLong()).as(id).isZero();
      assertThat(row.path("doubled").asLong()).as(id).isZero();
      assertThat(row.path("verify").asText()).as(id).isEqualTo("equal");
      // Each distinct order in the topic is counted once; at least every acknowledged one is.
      assertThat(counted).as(id).isEqualTo(row.path("distinct_orders_in_topic").asLong());
      assertThat(counted).as(id).isGreaterThanOrEqualTo(acknowledged);
      assertThat(row.path("records_in_topic").asLong())
          .as(id)
          .isEqualTo(counted + row.path("duplicates").asLong() + row.path("rejected").asLong());
      assertThat(row.path("recovery_seconds").isNumber()).as(id).isTrue();
      assertThat(row.path("holds").asBoolean()).as(id).isTrue();
      assertThat(output).containsPattern("(?m)^" + id + " +" + acknowledged + " ");
    }
    Await.until(
        "the faults run's processes to be gone",
        Duration.ofSeconds(60),
        () -> faultsProcesses().isEmpty());
  }

  /** The run keeps its stack's data in a flowders-faults* temporary folder. */
  private static List<String> faultsProcesses() {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("/flowders-faults") && !c.contains("FaultsIT"))
        .toList();
  }

  private static Path single(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }
}
