package io.flowders.stack;

/**
 * Stand-in for a component in {@link JvmProcessIT}: idles until killed, or fails at once with
 * "fail".
 */
public final class Sleeper {

  private Sleeper() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("fail")) {
      System.out.println("about to fail on purpose");
      System.exit(3);
    }
    System.out.println("sleeping");
    new java.util.concurrent.CountDownLatch(1).await();
  }
}
