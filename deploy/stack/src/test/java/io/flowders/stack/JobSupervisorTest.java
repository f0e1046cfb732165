package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSupervisorTest {

  @TempDir Path dir;

  @Test
  void anExitBySignalNamesTheSignal() {
    assertThat(JobSupervisor.exitReason(137)).isEqualTo("killed by SIGKILL (exit 137)");
    assertThat(JobSupervisor.exitReason(143)).isEqualTo("killed by SIGTERM (exit 143)");
    assertThat(JobSupervisor.exitReason(1)).isEqualTo("exit 1");
    assertThat(JobSupervisor.exitReason(0)).isEqualTo("exit 0");
  }

  @Test
  void theLastErrorOfTheRunComesWithItsExceptionOnOnePrintableLine() throws IOException {
    Path log = dir.resolve("job.log");
    String earlierRun = "05:00:00 ERROR OrdersJob: an earlier run's failure\n";
    Files.writeString(
        log,
        earlierRun
            + "05:10:00 INFO OrdersJob: starting\n"
            + "05:10:01 ERROR BatchWriter: batch 7 failed for \u001b[31mCUS_1\n"
            + "05:10:02 ERROR OrdersJob: the job failed\n"
            + "java.lang.ArithmeticException: long overflow\n"
            + "\tat java.base/java.lang.Math.multiplyExact(Math.java:1004)\n"
            + "05:10:03 WARN SparkContext: stopping\n");

    assertThat(JobSupervisor.lastError(log, earlierRun.length()))
        .contains(
            "05:10:02 ERROR OrdersJob: the job failed | java.lang.ArithmeticException: long"
                + " overflow");
    assertThat(JobSupervisor.lastError(log, Files.size(log))).isEmpty();
    assertThat(JobSupervisor.lastError(dir.resolve("missing.log"), 0)).isEmpty();
  }

  @Test
  void printableEscapesWhatCouldMoveTheCursorOrForgeALine() {
    assertThat(JobSupervisor.printable("a\u001b[2Jb\nc\td\u200be\u2028f\ud800", 100))
        .isEqualTo("a\\u001B[2Jb\\nc\\td\\u200Be\\u2028f\\uD800");
    assertThat(JobSupervisor.printable("CUS_1 ünïcödé 😀", 100)).isEqualTo("CUS_1 ünïcödé 😀");
    assertThat(JobSupervisor.printable("x".repeat(50), 10)).isEqualTo("xxxxxxxxxx...");
  }

  @Test
  void theStateFileRoundTripsAndIsOwnerOnly() throws IOException {
    SupervisorState state =
        new SupervisorState(
            42,
            SupervisorState.RESTARTING,
            4242,
            3,
            "killed by SIGKILL (exit 137)",
            Instant.parse("2026-12-01T05:10:02Z"),
            "05:10:02 ERROR \"quoted\" \\ back\\slash \u001b",
            Instant.parse("2026-12-01T05:10:22Z"));
    Path file = dir.resolve("state/job-supervisor.json");

    state.write(file);

    assertThat(SupervisorState.read(file)).contains(state);
    assertThat(Files.readString(file))
        .startsWith("{\"supervisor_pid\":42,\"state\":\"restarting\"");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(SupervisorState.read(dir.resolve("missing.json"))).isEmpty();
  }
}
