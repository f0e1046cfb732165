package io.flowders.bench;

import io.flowders.settings.FlowdersSettings;
import io.flowders.stack.FlowdersHome;
import io.flowders.stack.Folders;
import io.flowders.stack.StackConfig;
import io.flowders.stack.StackException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ./flowders faults}: a stack of its own (as the bench's), then each fault alone while the
 * producer writes at a steady rate and the job runs on the cluster under its supervisor; after
 * each, the orders acknowledged, in the topic and counted, what was lost or doubled, how long
 * freshness took to come back, and verify's result. Exit 0 when every scenario held.
 */
public final class Faults {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private Faults() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(FaultsOptions.USAGE);
      return;
    }
    FaultsOptions options;
    try {
      options = FaultsOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(options, args, System.out));
  }

  static int run(FaultsOptions options, String[] args, PrintStream out) throws Exception {
    Instant started = Instant.now();
    String stamp = STAMP.format(started);
    Path work = Folders.temporary("flowders-faults");
    double target =
        StackConfig.load()
                .settings()
                .get(FlowdersSettings.TRIGGER)
                .plus(FaultRun.FRESHNESS_MARGIN)
                .toMillis()
            / 1000.0;
    List<FaultResult> results = new ArrayList<>();
    Path dir = FlowdersHome.root().resolve(options.output()).toAbsolutePath().normalize();
    Files.createDirectories(dir);
    Path json = dir.resolve(stamp + ".json");
    List<String> command = new ArrayList<>(List.of("./flowders", "faults"));
    command.addAll(Arrays.asList(args));
    boolean stackFailed = false;
    boolean producerProxies = options.scenarios().contains(FaultScenario.PRODUCER_CUT_OFF);
    try (BenchStack stack = BenchStack.start(work, out, true, producerProxies)) {
      for (FaultScenario scenario : options.scenarios()) {
        results.add(FaultRun.run(stack, options, scenario, "faults-" + stamp, work, out));
        // After each scenario: a run stopped halfway still leaves what it found.
        FaultsReport.writeJson(json, started, Instant.now(), command, options, target, results);
      }
    } catch (StackException | IllegalStateException e) {
      System.err.println("faults: " + e.getMessage());
      stackFailed = true;
    }
    out.println();
    out.print(FaultsReport.table(results, target));
    FaultsReport.writeJson(json, started, Instant.now(), command, options, target, results);
    out.println("results: " + json);
    boolean held = !stackFailed && results.stream().allMatch(FaultResult::holds);
    if (held) {
      Folders.deleteRecursively(work);
    } else {
      System.err.println("faults: logs of this run are in " + work);
    }
    return held ? 0 : 1;
  }
}
