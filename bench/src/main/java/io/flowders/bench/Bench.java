package io.flowders.bench;

import io.flowders.stack.FlowdersHome;
import io.flowders.stack.Folders;
import io.flowders.stack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * {@code ./flowders bench}: measures, never asserts. Each figure sits next to the best reference
 * measured in the same run on the same machine, so a busy machine lowers both instead of faking a
 * regression or a gain.
 */
public final class Bench {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (java.util.Arrays.asList(args).contains("--help")
        || java.util.Arrays.asList(args).contains("-h")) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    if (args.length == 2 && args[0].equals("--redraw")) {
      Path json = Path.of(args[1]);
      Path png =
          json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", "") + ".png");
      BenchReport.redraw(json, png);
      System.out.println("redrawn: " + png);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    PrintStream out = System.out;
    Instant started = Instant.now();
    String stamp = STAMP.format(started);
    String prefix = "bench-" + stamp;
    Path work = Folders.temporary("flowders-bench");
    BenchReport report = new BenchReport(started, host(), versions(), options);
    int status = 0;
    try (BenchStack stack =
        options.attach()
            ? BenchStack.attach()
            : BenchStack.start(work, out, options.needsCluster(), false)) {
      report.stack(stack);
      if (options.runs(BenchOptions.PRODUCER)) {
        out.println("1/3 producer: Quarkus producer at max rate vs ProducerPerformance");
        report.producer(ProducerBench.run(stack, options, prefix, work.resolve("logs"), out));
      }
      if (options.runs(BenchOptions.JOB)) {
        out.printf(
            "2/3 job: a backlog of %,d orders, --once vs ConsumerPerformance and a plain consumer%n",
            options.orders());
        report.job(JobBench.run(stack, options, prefix, work, out));
      }
      if (options.runs(BenchOptions.FRESHNESS)) {
        out.println("3/3 freshness and footprint: the streaming job at fixed rates");
        report.freshness(FreshnessBench.run(stack, options, prefix, work, out));
      }
    } catch (StackException | IllegalStateException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println("bench: logs of this run are in " + work);
      status = 1;
    }
    report.finish(Instant.now());
    out.println();
    out.print(report.table());
    Path dir = FlowdersHome.root().resolve(options.output()).toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Path json = dir.resolve(stamp + "-" + report.host() + ".json");
    Path png = dir.resolve(stamp + "-" + report.host() + ".png");
    report.writeJson(json);
    BenchReport.redraw(json, png);
    out.println("results: " + display(json) + ", " + display(png));
    if (status == 0) {
      Folders.deleteRecursively(work);
    }
    System.exit(status);
  }

  private static String display(Path file) {
    Path root = FlowdersHome.root();
    return file.startsWith(root) ? root.relativize(file).toString() : file.toString();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9.-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }

  private static Properties versions() throws IOException {
    Properties versions = new Properties();
    try (InputStream in = Bench.class.getResourceAsStream("/flowders-versions.properties")) {
      versions.load(in);
    }
    return versions;
  }
}
