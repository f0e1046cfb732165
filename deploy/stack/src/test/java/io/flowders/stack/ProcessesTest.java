package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessesTest {

  @TempDir Path dir;

  @Test
  void aTakenPortIsTracedToTheProcessListeningOnIt() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(Processes.listener(socket.getLocalPort()))
          .hasValueSatisfying(
              owner ->
                  assertThat(owner).startsWith("pid " + ProcessHandle.current().pid() + ": java"));
    }
  }

  @Test
  void aPidFileNamesItsProcessOnlyWhileThatProcessLives() throws IOException {
    Path file = dir.resolve("pids/self.pid");
    Processes.writePidFile(file, ProcessHandle.current().pid());
    assertThat(Processes.fromPidFile(file)).contains(ProcessHandle.current());

    Files.writeString(file, ProcessHandle.current().pid() + " 2001-01-01T00:00:00Z\n");
    assertThat(Processes.fromPidFile(file)).as("a recycled pid").isEmpty();
    assertThat(Processes.fromPidFile(dir.resolve("missing.pid"))).isEmpty();
  }

  @Test
  void residentMemoryCountsThisJvm() {
    assertThat(Processes.rss(ProcessHandle.current().pid())).isGreaterThan(10L << 20);
    assertThat(Processes.memAvailable()).isPositive();
  }

  @Test
  void heapSizesReadLikeJavasOptions() {
    assertThat(LocalStack.bytes("768m")).isEqualTo(768L << 20);
    assertThat(LocalStack.bytes("2g")).isEqualTo(2L << 30);
  }
}
