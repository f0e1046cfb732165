package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

  private ServerSocket echo;

  /** An echo server: each connection gets back what it sends, line by line. */
  @BeforeEach
  void startEcho() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread c =
                      new Thread(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException e) {
                              // the client went away
                            }
                          });
                  c.setDaemon(true);
                  c.start();
                } catch (IOException e) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
  }

  @AfterEach
  void stopEcho() throws IOException {
    echo.close();
  }

  @Test
  void passesBytesBothWaysUntouched() throws IOException {
    try (FaultProxy proxy = FaultProxy.to(echo.getLocalPort());
        Socket s = connect(proxy)) {
      assertThat(roundTrip(s, "hello")).isEqualTo("hello");
      assertThat(roundTrip(s, "again")).isEqualTo("again");
    }
  }

  @Test
  void addsItsLatencyToEachDirection() throws IOException {
    try (FaultProxy proxy = FaultProxy.to(echo.getLocalPort()).latency(Duration.ofMillis(300));
        Socket s = connect(proxy)) {
      long t0 = System.nanoTime();
      assertThat(roundTrip(s, "slow")).isEqualTo("slow");
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }
  }

  @Test
  void resetsTheShareOfConnectionsItIsTold() throws IOException {
    double[] draws = {0.05, 0.5, 0.09, 0.95};
    int[] next = {0};
    try (FaultProxy proxy =
        FaultProxy.to(echo.getLocalPort(), () -> draws[next[0]++ % draws.length]).resetShare(0.1)) {
      int reset = 0;
      for (int i = 0; i < draws.length; i++) {
        try (Socket s = connect(proxy)) {
          roundTrip(s, "x");
        } catch (IOException e) {
          reset++;
        }
      }
      assertThat(reset).isEqualTo(2);
    }
  }

  @Test
  void downResetsOpenConnectionsAndUpPassesNewOnesAgain() throws IOException {
    try (FaultProxy proxy = FaultProxy.to(echo.getLocalPort())) {
      Socket before = connect(proxy);
      assertThat(roundTrip(before, "up")).isEqualTo("up");
      proxy.down(true);
      assertThatThrownBy(() -> roundTrip(before, "down")).isInstanceOf(IOException.class);
      before.close();
      try (Socket during = connect(proxy)) {
        assertThatThrownBy(() -> roundTrip(during, "down")).isInstanceOf(IOException.class);
      }
      proxy.heal();
      try (Socket after = connect(proxy)) {
        assertThat(roundTrip(after, "back")).isEqualTo("back");
      }
    }
  }

  private static Socket connect(FaultProxy proxy) throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout(5_000);
    return s;
  }

  /** Sends {@code text}, reads as many bytes back; an IOException when the proxy reset it. */
  private static String roundTrip(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    InputStream in = s.getInputStream();
    byte[] back = in.readNBytes(text.length());
    if (back.length < text.length()) {
      throw new IOException("closed after " + back.length + " bytes");
    }
    return new String(back, StandardCharsets.UTF_8);
  }
}
