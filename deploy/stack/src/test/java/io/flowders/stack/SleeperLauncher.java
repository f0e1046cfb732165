package io.flowders.stack;

/**
 * A parent for {@link JvmProcessIT} to kill: starts a bound {@link Sleeper}, prints its pid, idles.
 */
public final class SleeperLauncher {

  private SleeperLauncher() {}

  public static void main(String[] args) throws Exception {
    JvmProcess child =
        JvmProcess.builder(Sleeper.class.getName())
            .classpath(JvmProcessIT.location(Sleeper.class))
            .heap("32m")
            .start();
    System.out.println("child-pid=" + child.pid());
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
