package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's supervisor around {@link FlakyJob}s: real processes, a backoff of 100-400 ms. */
class JobSupervisorIT {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;
  private StackLayout layout;
  private Path counter;
  private Thread supervising;

  @BeforeEach
  void layout() {
    layout =
        new StackLayout(
            dir, StackConfig.load(Map.of(StackLayout.STATE_DIR, dir.resolve("state").toString())));
    counter = dir.resolve("runs");
  }

  @AfterEach
  void noJobLeft() {
    Processes.fromPidFile(layout.pidFile(StackLayout.JOB))
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void aFailingOrKilledJobIsRestartedAndStopIsFinal() throws Exception {
    JobSupervisor supervisor = supervisor(2, "run");
    supervising = new Thread(supervisor::run, "supervising");
    supervising.start();

    SupervisorState third =
        awaitState(s -> s.state().equals(SupervisorState.RUNNING) && runs() == 3);
    assertThat(third.restarts()).isEqualTo(2);
    assertThat(third.lastExit()).isEqualTo("exit 1");
    assertThat(third.lastError())
        .isEqualTo(
            "05:00:00 ERROR FlakyJob: failing on purpose | java.lang.IllegalStateException: run 2");
    ProcessHandle job = Processes.fromPidFile(layout.pidFile(StackLayout.JOB)).orElseThrow();
    assertThat(job.pid()).isEqualTo(third.jobPid());

    job.destroyForcibly();
    SupervisorState fourth =
        awaitState(s -> s.state().equals(SupervisorState.RUNNING) && runs() == 4);
    assertThat(fourth.restarts()).isEqualTo(3);
    assertThat(fourth.lastExit()).isEqualTo("killed by SIGKILL (exit 137)");
    assertThat(fourth.lastError()).as("none logged by the killed run").isNull();
    ProcessHandle last = ProcessHandle.of(fourth.jobPid()).orElseThrow();

    supervisor.stop();
    supervising.join(DEADLINE.toMillis());

    assertThat(last.isAlive()).isFalse();
    assertThat(supervising.isAlive()).isFalse();
    assertThat(runs()).as("no start after stop").isEqualTo(4);
    assertThat(state().state()).isEqualTo(SupervisorState.STOPPED);
  }

  @Test
  void aJobThatExitsZeroStaysStopped() throws IOException {
    supervisor(0, "exit0").run();

    assertThat(runs()).isEqualTo(1);
    assertThat(state().state()).isEqualTo(SupervisorState.STOPPED);
    assertThat(state().restarts()).isZero();
    assertThat(state().lastExit()).isEqualTo("exit 0");
  }

  @Test
  void aRunningJobIsAdoptedAndRestartedOnceItEnds() throws Exception {
    JvmProcess orphan = flakyJob(0, "run").start();
    Processes.writePidFile(layout.pidFile(StackLayout.JOB), orphan.pid());
    Await.until("the job counting its run", DEADLINE, () -> runs() == 1);
    JobSupervisor supervisor = supervisor(0, "run");
    supervising = new Thread(supervisor::run, "supervising");
    supervising.start();
    awaitState(s -> s.state().equals(SupervisorState.RUNNING) && s.jobPid() == orphan.pid());

    orphan.kill();
    SupervisorState next =
        awaitState(
            s ->
                s.state().equals(SupervisorState.RUNNING)
                    && s.jobPid() != orphan.pid()
                    && runs() == 2);
    supervisor.stop();
    supervising.join(DEADLINE.toMillis());

    assertThat(runs()).isEqualTo(2);
    assertThat(next.restarts()).isEqualTo(1);
    assertThat(next.lastExit()).startsWith("exited (exit code unknown");
    assertThat(ProcessHandle.of(next.jobPid()).filter(ProcessHandle::isAlive)).isEmpty();
  }

  private JobSupervisor supervisor(int failures, String then) {
    return new JobSupervisor(
        layout,
        () -> flakyJob(failures, then).start(),
        new RestartBackoff(Duration.ofMillis(100), Duration.ofMillis(400), Clock.systemUTC()),
        Clock.systemUTC());
  }

  private JvmProcess.Builder flakyJob(int failures, String then) {
    return JvmProcess.builder(FlakyJob.class.getName())
        .name(StackLayout.JOB)
        .classpath(JvmProcessIT.location(FlakyJob.class))
        .heap("32m")
        .jvmArgs("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
        .args(counter.toString(), Integer.toString(failures), then)
        .logFile(layout.component(StackLayout.JOB).log())
        .outliveParent();
  }

  private SupervisorState awaitState(Predicate<SupervisorState> condition) {
    Await.until(
        "the supervisor's state",
        DEADLINE,
        () -> SupervisorState.read(layout.supervisorState()).filter(condition).isPresent());
    return state();
  }

  private SupervisorState state() {
    return SupervisorState.read(layout.supervisorState()).orElseThrow();
  }

  private int runs() {
    try {
      return Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
