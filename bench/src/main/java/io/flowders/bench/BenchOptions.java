package io.flowders.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What {@code ./flowders bench} measures, and how long; every default fits the 2-core machine. */
record BenchOptions(
    boolean attach,
    Set<String> phases,
    int repeats,
    long orders,
    List<String> readers,
    List<String> jobJvmArgs,
    int producerSeconds,
    List<Integer> rates,
    int rateSeconds,
    int warmUpSeconds,
    String output) {

  static final String PRODUCER = "producer";
  static final String JOB = "job";
  static final String FRESHNESS = "freshness";
  static final List<String> ALL_PHASES = List.of(PRODUCER, JOB, FRESHNESS);
  static final String CONSUMER_PERFORMANCE = "consumer-performance";
  static final String PLAIN_CONSUMER = "plain-consumer";
  static final String JOB_LOCAL = "job-local";
  static final String JOB_CLUSTER = "job-cluster";
  static final String KAFKA_STREAMS = "kafka-streams";
  static final String SPARK_AGGREGATION = "spark-aggregation";
  static final List<String> ALL_READERS =
      List.of(
          CONSUMER_PERFORMANCE,
          PLAIN_CONSUMER,
          KAFKA_STREAMS,
          SPARK_AGGREGATION,
          JOB_LOCAL,
          JOB_CLUSTER);
  static final String USAGE =
      """
      usage: ./flowders bench [options]
        --attach               measure the running stack (./flowders up) instead of starting one;
                               the job backlog then runs in local[2] only, freshness measures the
                               stack's own job and producer
        --phases LIST          producer,job,freshness (default: all)
        --repeats N            interleaved runs of each pair (default 3)
        --orders N             backlog read by the job and the consumers (default 1000000)
        --readers LIST         who reads the backlog: consumer-performance,plain-consumer,
                               kafka-streams,spark-aggregation,job-local,job-cluster (default:
                               all; without job-cluster and the freshness phase no Spark cluster
                               is started)
        --job-jvm-args ARGS    extra JVM flags of the job's driver in the backlog runs, separated
                               by spaces (e.g. a flight recording: -XX:StartFlightRecording=...)
        --producer-seconds N   each max-rate producer run (default 20)
        --rates LIST           freshness rates in orders/s, stepped up until the job falls
                               behind (default 10000,20000,35000,50000,75000,100000); the
                               highest one held is the rate sustained
        --rate-seconds N       time at each rate (default 180)
        --warm-up-seconds N    left out at the start of each rate (default 30)
        --output DIR           where the JSON and PNG go (default bench/results)
      ./flowders bench --redraw RESULTS.json   draws RESULTS.png again from the numbers""";

  static BenchOptions parse(String... args) {
    boolean attach = false;
    Set<String> phases = new LinkedHashSet<>(ALL_PHASES);
    int repeats = 3;
    long orders = 1_000_000;
    List<String> readers = ALL_READERS;
    List<String> jobJvmArgs = List.of();
    int producerSeconds = 20;
    List<Integer> rates = List.of(10_000, 20_000, 35_000, 50_000, 75_000, 100_000);
    int rateSeconds = 180;
    int warmUp = 30;
    String output = "bench/results";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--attach")) {
        attach = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg + "\n" + USAGE);
      }
      String value = args[++i];
      switch (arg) {
        case "--phases" -> {
          phases = new LinkedHashSet<>(Arrays.asList(value.split(",")));
          if (!ALL_PHASES.containsAll(phases)) {
            throw new IllegalArgumentException(
                "--phases takes " + String.join(",", ALL_PHASES) + ", not " + value);
          }
        }
        case "--readers" -> {
          readers = List.of(value.split(","));
          if (!ALL_READERS.containsAll(readers)) {
            throw new IllegalArgumentException(
                "--readers takes " + String.join(",", ALL_READERS) + ", not " + value);
          }
        }
        case "--job-jvm-args" -> jobJvmArgs = List.of(value.strip().split("\\s+"));
        case "--repeats" -> repeats = positive(arg, value);
        case "--orders" -> orders = positive(arg, value);
        case "--producer-seconds" -> producerSeconds = positive(arg, value);
        case "--rates" -> {
          List<Integer> list = new ArrayList<>();
          for (String rate : value.split(",")) {
            list.add(positive(arg, rate));
          }
          rates = List.copyOf(list);
        }
        case "--rate-seconds" -> rateSeconds = positive(arg, value);
        case "--warm-up-seconds" -> warmUp = Integer.parseInt(value);
        case "--output" -> output = value;
        default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
      }
    }
    if (warmUp < 0 || warmUp >= rateSeconds) {
      throw new IllegalArgumentException(
          "--warm-up-seconds must be at least 0 and less than --rate-seconds");
    }
    return new BenchOptions(
        attach,
        Set.copyOf(phases),
        repeats,
        orders,
        readers,
        jobJvmArgs,
        producerSeconds,
        rates,
        rateSeconds,
        warmUp,
        output);
  }

  boolean runs(String phase) {
    return phases.contains(phase);
  }

  /** Whether the bench needs a Spark cluster of its own: freshness, or the job read on it. */
  boolean needsCluster() {
    return runs(FRESHNESS) || (runs(JOB) && readers.contains(JOB_CLUSTER));
  }

  /**
   * A positive whole number given to {@code option} (underscores allowed), or a message why not.
   */
  static int positive(String option, String value) {
    try {
      int n = Integer.parseInt(value.strip().replace("_", ""));
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " takes a positive whole number, not " + value);
  }
}
