package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStatusTest {

  private static final Instant NOW = Instant.parse("2026-12-01T05:10:30Z");

  @TempDir Path dir;

  @Test
  void showsTheSupervisorsCountdownAndTheJobsLastExitOnPrintableLines() {
    StackLayout layout =
        new StackLayout(
            dir, StackConfig.load(Map.of(StackLayout.STATE_DIR, dir.resolve("state").toString())));
    // This JVM stands in for a running supervisor; nothing else runs.
    Processes.writePidFile(
        layout.pidFile(StackLayout.JOB_SUPERVISOR), ProcessHandle.current().pid());
    new SupervisorState(
            ProcessHandle.current().pid(),
            SupervisorState.RESTARTING,
            4242,
            3,
            "exit 1",
            NOW.minusSeconds(10),
            "05:10:20 ERROR OrdersJob: the job failed | x\u001b[2J\nforged line",
            NOW.plusSeconds(20))
        .write(layout.supervisorState());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    LocalStack stack = new LocalStack(layout, new PrintStream(bytes, true, StandardCharsets.UTF_8));

    int exit = new StackStatus(stack, Clock.fixed(NOW, ZoneOffset.UTC)).run();
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(exit).as("the rest is stopped").isEqualTo(3);
    assertThat(output)
        .containsPattern("job-supervisor\\s+running\\s+\\d+\\s+.* restarting the job in 20 s\\n")
        .containsPattern("job\\s+stopped")
        .containsPattern("job restarts: 3; last exit .*: exit 1\\n")
        .contains(
            "  its last ERROR: 05:10:20 ERROR OrdersJob: the job failed | x\\u001B[2J\\nforged"
                + " line\n")
        .doesNotContain("\u001b");
    assertThat(output.lines()).noneMatch(line -> line.startsWith("forged"));
  }
}
