package io.flowders.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * A TCP proxy on a loopback port in front of one loopback target, for fault tests (no Docker here,
 * so no Toxiproxy): it can add latency to every chunk each way, reset a share of new connections
 * (RST, as a flaky network or server does), or be down (every connection reset, new ones refused by
 * a reset on accept). Faults change while connections are open; a connection keeps the latency it
 * meets chunk by chunk.
 */
public final class FaultProxy implements AutoCloseable {

  private static final int BUFFER = 64 * 1024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final DoubleSupplier random;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Duration latency = Duration.ZERO;
  private volatile double resetShare;
  private volatile boolean down;

  private FaultProxy(int targetPort, DoubleSupplier random) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    this.random = random;
    Thread acceptor = new Thread(this::accept, "fault-proxy-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A proxy on a free loopback port to {@code targetPort} on loopback, passing all through. */
  public static FaultProxy to(int targetPort) {
    return to(targetPort, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** With {@code random} (values in [0, 1)) deciding which connections are reset. */
  static FaultProxy to(int targetPort, DoubleSupplier random) {
    try {
      return new FaultProxy(targetPort, random);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a proxy port", e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Each chunk waits this long before it is passed on, both ways. */
  public FaultProxy latency(Duration latency) {
    this.latency = latency;
    return this;
  }

  /** The share (0..1) of new connections reset right after they are accepted. */
  public FaultProxy resetShare(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("a share is in [0, 1]: " + share);
    }
    this.resetShare = share;
    return this;
  }

  /** Down: open connections are reset, new ones too. Up: passes connections on again. */
  public FaultProxy down(boolean down) {
    this.down = down;
    if (down) {
      open.forEach(FaultProxy::reset);
    }
    return this;
  }

  /** No latency, no resets, up. */
  public FaultProxy heal() {
    return latency(Duration.ZERO).resetShare(0).down(false);
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
    open.forEach(FaultProxy::reset);
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (down || random.getAsDouble() < resetShare) {
        reset(client);
        continue;
      }
      Thread connect = new Thread(() -> connect(client), "fault-proxy-connect");
      connect.setDaemon(true);
      connect.start();
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      upstream.connect(target, 10_000);
    } catch (IOException e) {
      reset(client);
      closeQuietly(upstream);
      return;
    }
    open.add(client);
    open.add(upstream);
    // Each direction ends on its own (a half-close is passed on); the second one closes both.
    AtomicInteger running = new AtomicInteger(2);
    pipe(client, upstream, running, "up");
    pipe(upstream, client, running, "down");
  }

  private void pipe(Socket from, Socket to, AtomicInteger running, String direction) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[BUFFER];
              try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  Duration wait = latency;
                  if (!wait.isZero()) {
                    Thread.sleep(wait.toMillis());
                  }
                  if (down) {
                    throw new IOException("down");
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
                to.shutdownOutput();
                if (running.decrementAndGet() == 0) {
                  finish(from, to, false);
                }
              } catch (IOException | InterruptedException e) {
                finish(from, to, true);
              }
            },
            "fault-proxy-" + direction);
    thread.setDaemon(true);
    thread.start();
  }

  private void finish(Socket a, Socket b, boolean reset) {
    open.remove(a);
    open.remove(b);
    if (reset) {
      reset(a);
      reset(b);
    } else {
      closeQuietly(a);
      closeQuietly(b);
    }
  }

  /** Closes with a reset (SO_LINGER 0) rather than a FIN: what a crashed peer looks like. */
  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do
    }
  }
}
