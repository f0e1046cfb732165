package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmProcessIT {

  @Test
  void boundChildDiesWhenItsParentIsKilledOutright(@TempDir Path dir) {
    JvmProcess parent =
        JvmProcess.builder(SleeperLauncher.class.getName())
            .classpath(location(SleeperLauncher.class), location(JvmProcess.class))
            .heap("32m")
            .logFile(dir.resolve("launcher.log"))
            .outliveParent()
            .start();
    Pattern childPid = Pattern.compile("child-pid=(\\d+)");
    parent.awaitReady(
        "reporting its child", Duration.ofSeconds(60), () -> childPid.matcher(parent.log()).find());
    Matcher matcher = childPid.matcher(parent.log());
    matcher.find();
    ProcessHandle child = ProcessHandle.of(Long.parseLong(matcher.group(1))).orElseThrow();

    parent.kill();

    Await.until(
        "child gone after its parent's SIGKILL", Duration.ofSeconds(20), () -> !child.isAlive());
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void failedStartQuotesTheEndOfTheLogAndItsPath(@TempDir Path dir) {
    JvmProcess failing =
        JvmProcess.builder(Sleeper.class.getName())
            .classpath(location(Sleeper.class))
            .heap("32m")
            .args("fail")
            .logFile(dir.resolve("failing.log"))
            .start();

    assertThatThrownBy(() -> failing.awaitReady("ready", Duration.ofSeconds(60), () -> false))
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("about to fail on purpose")
        .hasMessageContaining(dir.resolve("failing.log").toString());
  }

  @Test
  void stopEndsTheProcess(@TempDir Path dir) {
    JvmProcess sleeper =
        JvmProcess.builder(Sleeper.class.getName())
            .classpath(location(Sleeper.class))
            .heap("32m")
            .logFile(dir.resolve("sleeper.log"))
            .start();
    sleeper.awaitReady("sleeping", Duration.ofSeconds(60), () -> sleeper.logContains("sleeping"));

    sleeper.stop(Duration.ofSeconds(10));

    assertThat(sleeper.isAlive()).isFalse();
  }

  static String location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
