package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ./flowders as a user runs it, on free ports and in temporary folders so that it never meets a
 * stack started on the contract's ports: up, the cluster's shape, the Kafka CLI, orders over two
 * full windows, verify, sql -e, the job killed and brought back by its supervisor, a broker and the
 * supervisor killed and started again by up, down, and a second up that continues the same tables.
 * A faster trigger, a 10-second watermark and 20 orders/s keep it to a few minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlowdersCommandsIT {

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(8);
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration WATERMARK = Duration.ofSeconds(10);
  private static final String TOTALS = "lake.flowders.customer_minute_totals";
  private static final List<String> TOTALS_COLUMNS =
      List.of(
          "window_start",
          "window_end",
          "customer_id",
          "client_orders",
          "client_amount",
          "updated_at");
  private static final Pattern TOTAL_RECORDS =
      Pattern.compile("\"total-records\"\\s*:\\s*\"(\\d+)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Path dir;
  private static Map<String, String> env;
  private static StackLayout layout;
  private static Instant firstOrders;
  private static List<List<String>> rowsBeforeDown;

  @BeforeAll
  static void layout() throws IOException {
    dir = Files.createTempDirectory("flowders-e2e");
    List<Integer> ports = Ports.free(15);
    env = new LinkedHashMap<>();
    env.put(
        "FLOWDERS_KAFKA_BOOTSTRAP",
        "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1) + ",127.0.0.1:" + ports.get(2));
    env.put(
        "FLOWDERS_KAFKA_CONTROLLER_PORTS", ports.get(3) + "," + ports.get(4) + "," + ports.get(5));
    env.put(
        "FLOWDERS_KAFKA_BROKER_PORTS", ports.get(12) + "," + ports.get(13) + "," + ports.get(14));
    env.put("FLOWDERS_S3_ENDPOINT", "http://127.0.0.1:" + ports.get(6));
    env.put("FLOWDERS_SPARK_MASTER", "spark://127.0.0.1:" + ports.get(7));
    env.put("FLOWDERS_SPARK_MASTER_UI_PORT", ports.get(8).toString());
    env.put("FLOWDERS_SPARK_WORKER_UI_PORTS", ports.get(9) + "," + ports.get(10));
    env.put("FLOWDERS_SPARK_UI_PORT", ports.get(11).toString());
    env.put("FLOWDERS_PRODUCER_PORT", Integer.toString(Ports.free()));
    env.put("FLOWDERS_JOB_METRICS_PORT", Integer.toString(Ports.free()));
    env.put(StackLayout.STATE_DIR, dir.resolve("state").toString());
    env.put(StackLayout.WAREHOUSE_DIR, dir.resolve("warehouse").toString());
    env.put("FLOWDERS_CHECKPOINT", dir.resolve("state/checkpoints/orders-job").toString());
    env.put("FLOWDERS_TRIGGER", "5 seconds");
    env.put("FLOWDERS_WATERMARK", WATERMARK.toSeconds() + " seconds");
    env.put("ORDERS_RATE", "20");
    layout = new StackLayout(FlowdersHome.root(), StackConfig.load(env));
  }

  @AfterAll
  static void down() {
    if (layout != null) {
      flowders(COMMAND_TIMEOUT, "down");
      Processes.stop(Processes.javaProcessesUsing(layout.state()), Duration.ofSeconds(10));
      Folders.deleteRecursively(dir);
    }
  }

  @Test
  @Order(1)
  void upStartsEveryComponentAndReturnsOnceOrdersFlow() {
    Run up = flowders(UP_TIMEOUT, "up");

    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output())
        .contains(
            "kafka", "s3", "spark", "job", "producer", "first Iceberg commit", "flowders is up")
        .contains(layout.sparkUiUrl(), layout.producerUrl(), layout.config().kafkaBootstrap())
        .contains(Producer.rateCommand(layout.producerUrl(), "50"));
    for (Credentials.Secret secret : Credentials.Secret.values()) {
      assertThat(up.output()).as(secret.key()).doesNotContain(layout.credentials().get(secret));
    }
    assertThat(acknowledged()).isPositive();
    assertThat(flowders(COMMAND_TIMEOUT, "up").output()).contains("already running");
  }

  @Test
  @Order(2)
  void theMasterHasTwoAliveWorkersAndTheJobFourExecutors() {
    assertThat(get(layout.sparkMasterUiUrl() + "/json/"))
        .containsPattern("\"aliveworkers\"\\s*:\\s*2");
    String app =
        matches(
                Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\""),
                get(layout.sparkUiUrl() + "/api/v1/applications"))
            .get(0);
    List<String> executors =
        matches(
            Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\""),
            get(layout.sparkUiUrl() + "/api/v1/applications/" + app + "/executors"));
    assertThat(executors).filteredOn(id -> !id.equals("driver")).hasSize(4);
  }

  @Test
  @Order(2)
  void everyListeningSocketOfTheStackIsOnLoopback() throws IOException {
    Set<Long> pids = new HashSet<>();
    for (ProcessHandle process : Processes.javaProcessesUsing(layout.state())) {
      pids.add(process.pid());
      process.descendants().forEach(child -> pids.add(child.pid()));
    }
    Set<String> stackSockets = new HashSet<>();
    for (long pid : pids) {
      try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
        for (Path fd : fds) {
          try {
            String target = Files.readSymbolicLink(fd).toString();
            if (target.startsWith("socket:[")) {
              stackSockets.add(target.substring(8, target.length() - 1));
            }
          } catch (IOException closedMeanwhile) {
            // an fd closed between listing and reading: not a listener
          }
        }
      }
    }
    List<String> listening = new ArrayList<>();
    List<String> open = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        // f[1] local address:port in hex, f[3] state (0A = LISTEN), f[9] inode
        if (f[3].equals("0A") && stackSockets.contains(f[9])) {
          listening.add(f[1]);
          String address = f[1].substring(0, f[1].indexOf(':'));
          boolean loopback =
              address.equals("00000000000000000000000001000000") // ::1
                  || address.endsWith("7F"); // 127.x.x.x, also as ::ffff:127.x.x.x
          if (!loopback) {
            open.add(table + " " + f[1]);
          }
        }
      }
    }

    assertThat(pids).as("the stack's processes").hasSizeGreaterThanOrEqualTo(9);
    assertThat(listening).as("listening sockets of the stack").hasSizeGreaterThanOrEqualTo(12);
    assertThat(open).as("listeners reachable from other machines").isEmpty();
  }

  @Test
  @Order(2)
  void sparkAuthenticatesAndNoSecretIsOnACommandLine() {
    List<String> sparkDaemons =
        layout.components().stream()
            .map(StackLayout.Component::name)
            .filter(name -> name.startsWith("spark-"))
            .toList();
    for (String daemon : sparkDaemons) {
      long pid = Processes.fromPidFile(layout.pidFile(daemon)).orElseThrow().pid();
      assertThat(Processes.commandLine(pid)).as(daemon).contains("-Dspark.authenticate=true");
    }
    String app =
        matches(
                Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\""),
                get(layout.sparkUiUrl() + "/api/v1/applications"))
            .get(0);
    // The job's driver holds the secret in its conf, which its UI shows redacted.
    assertThat(get(layout.sparkUiUrl() + "/api/v1/applications/" + app + "/environment"))
        .containsPattern("\\[\\s*\"spark.authenticate\",\\s*\"true\"\\s*\\]")
        .containsPattern("\\[\\s*\"spark.authenticate.secret\",\\s*\"\\*+\\(redacted\\)\"");

    List<String> secrets =
        Stream.of(Credentials.Secret.values()).map(layout.credentials()::get).toList();
    Set<Long> pids = new HashSet<>();
    for (ProcessHandle process : Processes.javaProcessesUsing(layout.state())) {
      pids.add(process.pid());
      process.descendants().forEach(child -> pids.add(child.pid()));
    }
    assertThat(pids)
        .as("the stack's 9 processes and the job's 4 executors")
        .hasSizeGreaterThanOrEqualTo(13);
    assertThat(pids)
        .allSatisfy(
            pid -> {
              String commandLine = String.join(" ", Processes.commandLine(pid));
              assertThat(secrets).as("pid %d", pid).noneMatch(commandLine::contains);
            });
  }

  @Test
  @Order(2)
  void theRateChangesOnlyWithTheTokenThatCredentialsPrints() throws Exception {
    String rateUrl = layout.producerUrl() + "/orders/rate?value=";
    HttpResponse<String> without = put(rateUrl + "30", Optional.empty());
    HttpResponse<String> wrong =
        put(rateUrl + "30", Optional.of("Bearer " + Credentials.generate()));
    double rateBefore = Producer.of(layout).stats().rate();
    Run token = flowders(COMMAND_TIMEOUT, "credentials", "producer.rate-token");
    HttpResponse<String> with =
        put(rateUrl + "30", Optional.of("Bearer " + token.output().strip()));
    Producer.of(layout).rate("20");

    assertThat(without.statusCode()).as(without.body()).isEqualTo(401);
    assertThat(without.body()).contains("./flowders credentials producer.rate-token");
    assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(401);
    assertThat(rateBefore).isEqualTo(20.0);
    assertThat(token.exitCode()).as(token.output()).isZero();
    assertThat(token.output())
        .isEqualTo(layout.credentials().get(Credentials.Secret.PRODUCER_RATE_TOKEN) + "\n");
    assertThat(with.statusCode()).as(with.body()).isEqualTo(200);
    assertThat(with.body()).contains("\"rate\":30.0");
  }

  @Test
  @Order(2)
  void theStacksFoldersAndSecretFilesAreTheOwnersOnly() throws IOException {
    List<Path> folders =
        new ArrayList<>(
            List.of(
                layout.state(),
                layout.warehouse(),
                layout.kafkaDir(),
                layout.s3Dir(),
                layout.sparkDir(),
                layout.logsDir(),
                layout.pidFile(StackLayout.PRODUCER).getParent(),
                layout.state().resolve(StackLayout.PRODUCER)));
    List<Path> secretFiles =
        new ArrayList<>(
            List.of(
                layout.state().resolve(Credentials.FILE),
                layout.s3Dir().resolve("s3proxy.properties")));
    for (int node : KafkaCluster.NODE_IDS) {
      folders.add(layout.kafkaDir().resolve("node-" + node));
      secretFiles.add(layout.kafkaDir().resolve("node-" + node).resolve("server.properties"));
    }

    for (Path folder : folders) {
      assertThat(permissions(folder)).as(folder.toString()).isEqualTo("rwx------");
    }
    for (Path file : secretFiles) {
      assertThat(permissions(file)).as(file.toString()).isEqualTo("rw-------");
    }
  }

  @Test
  @Order(3)
  void statusAndTheKafkaCliSeeTheStack() {
    Run status = flowders(COMMAND_TIMEOUT, "status");
    Run topics = flowders(COMMAND_TIMEOUT, "kafka-topics", "--list");
    Run describe = flowders(COMMAND_TIMEOUT, "kafka-topics", "--describe", "--topic", "orders");
    Run consumer =
        flowders(
            COMMAND_TIMEOUT,
            "kafka-console-consumer",
            "--topic",
            "orders",
            "--partition",
            "5",
            "--from-beginning",
            "--max-messages",
            "2");

    assertThat(status.exitCode()).isZero();
    assertThat(status.output())
        .containsPattern("job\\s+running")
        .containsPattern("job-supervisor\\s+running .*watching the job")
        .containsPattern("kafka-3\\s+running")
        .contains("job restarts: 0");
    assertThat(topics.output().lines()).contains("orders");
    assertThat(describe.output())
        .contains("PartitionCount: 10", "ReplicationFactor: 3", "min.insync.replicas=2");
    assertThat(consumer.output())
        .contains("\"customer_id\":\"CUS_", "Processed a total of 2 messages");
    // The tools run as the admin principal; a client without credentials gets nothing.
    Path plaintext =
        Folders.write(
            dir.resolve("plaintext.properties"),
            "default.api.timeout.ms=5000\n" + "request.timeout.ms=5000\n");
    Run refused =
        flowders(
            COMMAND_TIMEOUT,
            "kafka-topics",
            "--bootstrap-server",
            layout.config().kafkaBootstrap(),
            "--command-config",
            plaintext.toString(),
            "--list");
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).contains("TimeoutException").doesNotContain("\norders");
    // The first order of partition 5: no later than a second after the first of all (20/s, 10
    // customers).
    firstOrders =
        Instant.parse(
            matches(Pattern.compile("\"timestamp\":\"([^\"]+)\""), consumer.output()).get(0));
  }

  @Test
  @Order(4)
  void afterTwoFullWindowsVerifyFindsTheTableEqualToTheTopic() {
    // Two whole minutes of orders closed by the watermark, then a pause so the job catches up.
    Instant closed =
        firstOrders.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(3)).plus(WATERMARK);
    await("event time past " + closed, Duration.ofMinutes(5), () -> Instant.now().isAfter(closed));

    String verify = verifyOnceCaughtUp();

    assertThat(number(Pattern.compile("windows\\s+(\\d+)"), verify)).isGreaterThanOrEqualTo(2);
    assertThat(number(Pattern.compile("orders\\s+(\\d+)"), verify)).isPositive();
  }

  @Test
  @Order(5)
  void sqlPrintsTheTableWithItsColumns() {
    Run sql =
        flowders(
            COMMAND_TIMEOUT,
            "sql",
            "-e",
            "SELECT * FROM " + TOTALS + " ORDER BY window_start, customer_id");
    Run error = flowders(COMMAND_TIMEOUT, "sql", "-e", "SELECT nope FROM " + TOTALS);

    assertThat(sql.exitCode()).as(sql.output()).isZero();
    List<List<String>> table = table(sql.output());
    assertThat(table.get(0)).containsExactlyElementsOf(TOTALS_COLUMNS);
    assertThat(table).hasSizeGreaterThan(10);
    rowsBeforeDown = table.subList(1, table.size());
    assertThat(error.exitCode()).isEqualTo(1);
    assertThat(error.output()).contains("nope");
  }

  /**
   * The restart alone: that the restarted job commits again and counts nothing twice is the next
   * test's verify, and FaultsIT's (SIGKILLs between the ledger and the totals commits included).
   */
  @Test
  @Order(6)
  void aJobKilledWithSigkillIsRestartedByItsSupervisor() throws Exception {
    ProcessHandle job = pid(StackLayout.JOB);
    ProcessHandle supervisor = pid(StackLayout.JOB_SUPERVISOR);

    job.destroyForcibly();
    job.onExit().get(30, TimeUnit.SECONDS);
    await(
        "a new job started by its supervisor",
        Duration.ofMinutes(1),
        () ->
            Processes.fromPidFile(layout.pidFile(StackLayout.JOB))
                .filter(p -> p.pid() != job.pid())
                .isPresent());
    System.out.printf("job-supervisor RSS: %s%n", Processes.mib(Processes.rss(supervisor.pid())));
    Run status = flowders(COMMAND_TIMEOUT, "status");

    assertThat(status.exitCode()).as(status.output()).isZero();
    assertThat(status.output())
        .containsPattern("job-supervisor\\s+running\\s+" + supervisor.pid() + "\\b")
        .contains("job restarts: 1;", "killed by SIGKILL (exit 137)");
    assertThat(Processes.rss(supervisor.pid())).isLessThan(96L << 20);
  }

  @Test
  @Order(7)
  void upStartsAKilledBrokerAndAKilledSupervisorAloneAndLeavesTheRestRunning() throws Exception {
    Producer.of(layout).rate("20");
    Map<String, Long> before = pids();
    for (String killed : List.of("kafka-2", StackLayout.JOB_SUPERVISOR)) {
      ProcessHandle process = pid(killed);
      process.destroyForcibly();
      process.onExit().get(30, TimeUnit.SECONDS);
    }
    Run status = flowders(COMMAND_TIMEOUT, "status");
    Run up = flowders(UP_TIMEOUT, "up");
    Map<String, Long> after = pids();

    assertThat(status.exitCode()).isEqualTo(3);
    assertThat(status.output()).containsPattern("kafka-2\\s+stopped");
    assertThat(up.exitCode()).as(up.output()).isZero();
    assertThat(up.output()).contains("Starting: kafka-2, job-supervisor; already running:");
    assertThat(after.keySet()).isEqualTo(before.keySet());
    after.forEach(
        (name, pid) -> {
          if (name.equals("kafka-2") || name.equals(StackLayout.JOB_SUPERVISOR)) {
            assertThat(pid).as(name + " started again").isNotEqualTo(before.get(name));
          } else {
            assertThat(pid).as(name + " left running").isEqualTo(before.get(name));
          }
        });
    verifyOnceCaughtUp();
  }

  @Test
  @Order(8)
  void downLeavesNoProcessAndNoBoundPort() {
    Run down = flowders(COMMAND_TIMEOUT, "down");

    assertThat(down.exitCode()).as(down.output()).isZero();
    assertThat(down.output()).contains("through its supervisor");
    assertThat(Processes.javaProcessesUsing(layout.state())).isEmpty();
    assertThat(layout.components()).allSatisfy(c -> assertThat(c.ports()).allMatch(Ports::isFree));
    assertThat(flowders(COMMAND_TIMEOUT, "status").output()).doesNotContain("running");
  }

  @Test
  @Order(9)
  void aSecondUpContinuesTheSameTables() {
    Run up = flowders(UP_TIMEOUT, "up");
    assertThat(up.exitCode()).as(up.output()).isZero();

    Run sql =
        flowders(
            COMMAND_TIMEOUT,
            "sql",
            "-e",
            "SELECT * FROM " + TOTALS + " ORDER BY window_start, customer_id");
    List<List<String>> rows = table(sql.output());
    List<List<String>> after = rows.subList(1, rows.size());
    // Windows closed before the pause keep their totals (updated_at included); new windows are
    // added.
    String lastBefore = rowsBeforeDown.get(rowsBeforeDown.size() - 1).get(0);
    List<List<String>> closedBefore =
        rowsBeforeDown.stream().filter(r -> r.get(0).compareTo(lastBefore) < 0).toList();
    assertThat(after.size()).isGreaterThanOrEqualTo(rowsBeforeDown.size());
    assertThat(after).containsAll(closedBefore);
  }

  // ---- helpers

  /**
   * Pauses the producer, waits until the job's ledger holds every acknowledged order, runs verify
   * and asserts it is OK; its output.
   */
  static String verifyOnceCaughtUp() {
    Producer producer = Producer.of(layout);
    producer.rate("0");
    await("no order in flight", Duration.ofMinutes(1), () -> producer.stats().inFlight() == 0);
    long acknowledged = acknowledged();
    await(
        "the job's ledger holds all " + acknowledged + " orders",
        Duration.ofMinutes(3),
        () -> ledgerOrders() >= acknowledged);

    Run verify = flowders(COMMAND_TIMEOUT, "verify");
    if (verify.exitCode() == 1) {
      verify =
          flowders(
              COMMAND_TIMEOUT, "verify"); // the totals commit follows the ledger's within a batch
    }

    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).containsPattern("mismatches\\s+0\\n").contains("OK:");
    return verify.output();
  }

  /** The live process of a component. */
  static ProcessHandle pid(String component) {
    return Processes.fromPidFile(layout.pidFile(component))
        .orElseThrow(() -> new AssertionError(component + " is not running"));
  }

  /** The pid of every component. */
  static Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    layout.components().forEach(c -> pids.put(c.name(), pid(c.name()).pid()));
    return pids;
  }

  record Run(int exitCode, String output) {}

  /** ./flowders with the test's environment; stdout and stderr together. */
  static Run flowders(Duration timeout, String... args) {
    List<String> command = new ArrayList<>(List.of(FlowdersHome.resolve("flowders").toString()));
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile(dir, "flowders", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      builder.environment().putAll(env);
      long started = System.nanoTime();
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError(
            "./flowders "
                + String.join(" ", args)
                + " did not finish within "
                + timeout
                + ":\n"
                + Files.readString(output));
      }
      String text = Files.readString(output);
      System.out.printf(
          "$ ./flowders %s  (exit %d, %.0f s)%n%s%n",
          String.join(" ", args), process.exitValue(), (System.nanoTime() - started) / 1e9, text);
      return new Run(process.exitValue(), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The rows of a table Spark printed (header first), cells trimmed. */
  static List<List<String>> table(String output) {
    return output
        .lines()
        .filter(l -> l.startsWith("|"))
        .map(
            l -> Stream.of(l.substring(1, l.length() - 1).split("\\|")).map(String::strip).toList())
        .toList();
  }

  /** Orders in the job's ledger (lake.flowders.orders), from its newest Iceberg metadata file. */
  static long ledgerOrders() {
    Path metadata =
        layout.totalsMetadata().getParent().getParent().resolve("orders").resolve("metadata");
    try (Stream<Path> files = Files.list(metadata)) {
      Path newest =
          files
              .filter(f -> f.getFileName().toString().matches("v\\d+\\.metadata\\.json"))
              .max((a, b) -> Long.compare(version(a), version(b)))
              .orElse(null);
      return newest == null
          ? 0
          : matches(TOTAL_RECORDS, Files.readString(newest)).stream()
              .mapToLong(Long::parseLong)
              .max()
              .orElse(0);
    } catch (IOException e) {
      return 0;
    }
  }

  private static long version(Path metadataFile) {
    String name = metadataFile.getFileName().toString();
    return Long.parseLong(name.substring(1, name.indexOf('.')));
  }

  static long acknowledged() {
    return Producer.of(layout).stats().acknowledged();
  }

  static long number(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static List<String> matches(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    List<String> found = new ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /** {@code PUT url} with that Authorization header, or none. */
  static HttpResponse<String> put(String url, Optional<String> authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(20))
            .PUT(HttpRequest.BodyPublishers.noBody());
    authorization.ifPresent(value -> request.header("Authorization", value));
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  static String get(String url) {
    return send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build());
  }

  private static String send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(request.uri() + ": " + response.body()).isEqualTo(200);
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    Await.until(what, timeout, condition);
  }
}
