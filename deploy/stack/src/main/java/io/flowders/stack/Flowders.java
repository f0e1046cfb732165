package io.flowders.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./flowders COMMAND}: the stack's command line. The bash script only checks Java and builds
 * what is missing; everything else is here, so the end-to-end test runs the same code.
 */
public final class Flowders {

  static final String USAGE =
      """
      usage: ./flowders COMMAND [ARGS]

        up                      start Kafka (3 nodes), the S3 server, Spark (master + 2 workers), the
                                streaming job (restarted after a failure by its supervisor) and the
                                producer; returns once orders flow. On a partly running stack: starts
                                what is missing
        down [--purge]          stop everything up started (--purge: also delete .flowders/ and the
                                data in warehouse/)
        status                  each component: running or not, pid, memory, URL; the job's
                                restarts and last exit
        logs [COMPONENT]        follow the logs (job, producer, s3, kafka[-N], spark[-master|-worker-N])
        sql                     SQL shell on catalog lake (statements end with ;)
        sql -e "SQL"            run one statement, print the result as a table
        job [--once]            run the streaming job in the foreground (on the cluster when Spark is
                                up, else local[2]); --once: process what the topic holds, then exit
        verify [--all-windows]  recompute the aggregates from the topic and compare with the table
                                (--all-windows: the newest windows too, once the topic is quiet)
        credentials [NAME]      the stack's generated secrets: their names and file; with NAME
                                (e.g. producer.rate-token) that one value alone, for scripts:
                                curl -H "Authorization: Bearer $(./flowders credentials producer.rate-token)"
        kafka-topics ARGS       Kafka's kafka-topics.sh, --bootstrap-server preset
        kafka-console-consumer ARGS
        kafka-console-producer ARGS
        bench [--attach] [OPTIONS]
                                producer, job throughput and freshness next to Kafka's own tools;
                                a table, bench/results/*.json and *.png (bench --help: options)
        faults [--scenarios LIST] [--rate N] [--output DIR]
                                each fault injected alone on a stack of its own while orders
                                flow; lost, doubled, recovery time, verify: a table and
                                faults/results/*.json (faults --help: options)
        build                   rebuild the jars (./flowders builds them when missing)
        settings                write deploy/flowders.env and the README's settings table from
                                the registry (io.flowders.settings.FlowdersSettings)
        help                    this text

      Settings: FLOWDERS_* environment variables over the defaults (README, Configuration);
      a blank variable means the default.
      """;

  private Flowders() {}

  /** Commands whose child runs on the terminal: Ctrl-C is the child's to handle. */
  private static final List<String> FOREGROUND =
      List.of(
          "logs",
          "job",
          "sql",
          "verify",
          "kafka-topics",
          "kafka-console-consumer",
          "kafka-console-producer");

  public static void main(String[] args) {
    if (args.length > 0 && FOREGROUND.contains(args[0])) {
      ignoreInterrupts();
    }
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "help" : args[0];
    List<String> rest =
        new ArrayList<>(Arrays.asList(args).subList(Math.min(1, args.length), args.length));
    try {
      return switch (command) {
        case "up" -> new StackUp(stack(out)).run();
        case "down" -> new StackDown(stack(out)).run(flag(rest, "--purge"));
        case "status" -> new StackStatus(stack(out)).run();
        case "logs" -> new StackLogs(stack(out)).run(rest.stream().findFirst());
        case "job" -> Foreground.job(StackLayout.load(), flag(rest, "--once"));
        case "sql" -> Foreground.sql(StackLayout.load(), rest);
        case "verify" -> Foreground.verify(StackLayout.load(), rest);
        case "credentials" -> credentials(StackLayout.load(), rest, out);
        case "kafka-topics" ->
            Foreground.kafka(StackLayout.load(), KafkaCluster.TOPIC_COMMAND, rest);
        case "kafka-console-consumer" ->
            Foreground.kafka(StackLayout.load(), KafkaCluster.CONSOLE_CONSUMER, rest);
        case "kafka-console-producer" ->
            Foreground.kafka(StackLayout.load(), KafkaCluster.CONSOLE_PRODUCER, rest);
        case "help", "-h", "--help" -> {
          out.print(USAGE);
          yield 0;
        }
        default -> {
          err.print("flowders: unknown command '" + command + "'\n\n" + USAGE);
          yield 2;
        }
      };
    } catch (StackException e) {
      err.println("flowders " + command + ": " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println(
          "flowders "
              + command
              + " failed: "
              + Optional.ofNullable(e.getMessage()).orElse(e.toString()));
      return 1;
    }
  }

  /**
   * {@code credentials}: the names and the file; {@code credentials NAME}: that value alone on one
   * line (the file is owner-only; a secret is printed only when asked for by name).
   */
  static int credentials(StackLayout layout, List<String> args, PrintStream out) {
    if (args.size() > 1) {
      throw new StackException(
          "expected one credential name or nothing, not " + String.join(" ", args));
    }
    Path file = layout.state().resolve(Credentials.FILE);
    if (args.isEmpty()) {
      out.println(
          "The stack's credentials, in "
              + layout.display(file)
              + " (owner-only; to rotate one: ./flowders down, delete its line, ./flowders up):");
      for (Credentials.Secret secret : Credentials.Secret.values()) {
        out.println("  " + secret.key());
      }
      out.println("./flowders credentials NAME prints one, e.g. for curl:");
      out.println("  " + Producer.rateCommand(layout.producerUrl(), "50"));
      return 0;
    }
    String name = args.get(0);
    List<String> names =
        Arrays.stream(Credentials.Secret.values()).map(Credentials.Secret::key).toList();
    Credentials.Secret secret =
        Arrays.stream(Credentials.Secret.values())
            .filter(s -> s.key().equals(name))
            .findFirst()
            .orElseThrow(
                () ->
                    new StackException(
                        "no credential named '"
                            + name
                            + "'; the names are "
                            + String.join(", ", names)));
    out.println(layout.credentials().get(secret));
    return 0;
  }

  private static LocalStack stack(PrintStream out) {
    return new LocalStack(StackLayout.load(), out);
  }

  private static boolean flag(List<String> args, String flag) {
    for (String arg : args) {
      if (!arg.equals(flag)) {
        throw new StackException("unknown argument " + arg + " (expected " + flag + " or nothing)");
      }
    }
    return args.contains(flag);
  }

  /**
   * Ctrl-C reaches the whole foreground process group: the child (a shell, a consumer, tail)
   * decides what it means, and this JVM returns the child's exit code instead of dying first. (up
   * keeps the default: Ctrl-C exits, and its shutdown hook stops what it started.)
   */
  @SuppressWarnings("restriction")
  private static void ignoreInterrupts() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {});
    } catch (IllegalArgumentException | UnsupportedOperationException ignored) {
      // no SIGINT on this platform
    }
  }
}
