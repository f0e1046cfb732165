package io.flowders.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code ./flowders faults} runs: which scenarios, at what rate, and how long each fault
 * lasts. The defaults are the full run's durations; {@code --time-scale} shortens every fault (the
 * scaled-down test uses seconds).
 */
record FaultsOptions(
    List<FaultScenario> scenarios,
    int rate,
    double timeScale,
    int driverKills,
    int steadySeconds,
    String output) {

  static final String USAGE =
      """
      usage: ./flowders faults [options]
        --scenarios LIST       which faults, in this order (default: all of them):
      %s
        --rate N               orders per second from the producer (default 2000)
        --time-scale F         every fault's duration times F (default 1: the full durations)
        --driver-kills N       how often driver-kill SIGKILLs the job's driver (default 10)
        --steady-seconds N     orders flow this long before each fault (default 60)
        --output DIR           where the JSON goes (default faults/results)"""
          .formatted(FaultScenario.help("          "));

  static FaultsOptions parse(String... args) {
    List<FaultScenario> scenarios = List.of(FaultScenario.values());
    int rate = 2000;
    double timeScale = 1;
    int driverKills = 10;
    int steadySeconds = 60;
    String output = "faults/results";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg + "\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--scenarios" -> {
          List<FaultScenario> list = new ArrayList<>();
          for (String id : value.split(",")) {
            list.add(FaultScenario.of(id.strip()));
          }
          scenarios = List.copyOf(list);
        }
        case "--rate" -> rate = BenchOptions.positive(arg, value);
        case "--time-scale" -> {
          try {
            timeScale = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            timeScale = -1;
          }
          if (!(timeScale > 0 && timeScale <= 1)) {
            throw new IllegalArgumentException(
                "--time-scale takes a number in (0, 1], not " + value);
          }
        }
        case "--driver-kills" -> driverKills = BenchOptions.positive(arg, value);
        case "--steady-seconds" -> steadySeconds = BenchOptions.positive(arg, value);
        case "--output" -> output = value;
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    return new FaultsOptions(scenarios, rate, timeScale, driverKills, steadySeconds, output);
  }

  /** A fault's full duration, scaled; never under one second. */
  Duration scaled(Duration full) {
    return Duration.ofMillis(Math.max(1000, Math.round(full.toMillis() * timeScale)));
  }
}
