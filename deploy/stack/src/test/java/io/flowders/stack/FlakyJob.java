package io.flowders.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Stand-in for the streaming job in {@link JobSupervisorIT}: counts its runs in a file, fails the
 * first {@code failures} (an ERROR line and an exception, exit 1), then exits 0 at once ({@code
 * exit0}) or runs until SIGTERM, then exits 0 as the job does. Usage: {@code FlakyJob <counter
 * file> <failures> run|exit0}.
 */
public final class FlakyJob {

  private FlakyJob() {}

  @SuppressWarnings("restriction")
  public static void main(String[] args) throws Exception {
    Path counter = Path.of(args[0]);
    int run = (Files.exists(counter) ? Integer.parseInt(Files.readString(counter).strip()) : 0) + 1;
    Files.writeString(counter, Integer.toString(run));
    if (run <= Integer.parseInt(args[1])) {
      System.err.println("05:00:00 ERROR FlakyJob: failing on purpose");
      System.err.println("java.lang.IllegalStateException: run " + run);
      System.err.println("\tat io.flowders.stack.FlakyJob.main(FlakyJob.java:1)");
      System.exit(1);
    }
    if (args[2].equals("exit0")) {
      System.exit(0);
    }
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
    System.out.println("running");
    new CountDownLatch(1).await();
  }
}
