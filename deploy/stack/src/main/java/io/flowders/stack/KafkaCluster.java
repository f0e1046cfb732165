package io.flowders.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Three KRaft nodes (broker and controller each), one JVM per node, from Kafka's Maven jars: the
 * production shape of the stack, which an in-JVM cluster cannot give on Kafka 4.1 (combined
 * controllers fail there) nor next to Spark's older kafka-clients. Topics are handled by Kafka's
 * own CLI in a child JVM, so the caller's classpath needs no Kafka jar at all.
 *
 * <p>The data directory keeps the cluster id and each node's log, so a cluster started again on it
 * continues where it stopped; it is formatted only once.
 *
 * <p>Secured ({@link Builder#secured}), as {@code ./flowders up} and the bench run it: the client
 * listeners take SASL_PLAINTEXT with SCRAM-SHA-512 only, Kafka's StandardAuthorizer denies what no
 * ACL allows, and {@link KafkaPrincipal#ADMIN} is the super user. The nodes talk to each other on
 * an inter-broker and a controller listener with SASL/PLAIN as the admin, from a static JAAS entry
 * in each node's owner-only server.properties: KRaft keeps SCRAM credentials in its metadata, which
 * the quorum's own connections come before. Every start writes each principal's client config into
 * the data directory and upserts the SCRAM users and the topic's ACLs ({@link KafkaAccess}), so the
 * passwords of {@link Credentials} are the ones in force after a restart.
 */
public final class KafkaCluster extends JvmComponent<KafkaCluster> {

  public static final List<Integer> NODE_IDS = List.of(1, 2, 3);
  public static final String BROKER_MAIN = "kafka.Kafka";
  public static final String TOPIC_COMMAND = "org.apache.kafka.tools.TopicCommand";
  public static final String CONSOLE_PRODUCER = "org.apache.kafka.tools.ConsoleProducer";
  public static final String CONSOLE_CONSUMER = "org.apache.kafka.tools.consumer.ConsoleConsumer";
  public static final String PRODUCER_PERFORMANCE = "org.apache.kafka.tools.ProducerPerformance";
  public static final String CONSUMER_PERFORMANCE = "org.apache.kafka.tools.ConsumerPerformance";

  /** Logged by a node once it is registered with the quorum and unfenced. */
  private static final String STARTED = "Kafka Server started";

  private static final String CLUSTER_ID_FILE = "cluster.id";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Short-lived tools: C1 only and the serial collector (on 2 busy cores, C1 made 3 nodes ready in
   * 7 s instead of 30 s with Kafka's G1 and C2 defaults).
   */
  private static final List<String> TOOL_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true");

  private static final String TOOL_HEAP = "256m";

  /**
   * Brokers: the serial collector, C2 kept. They run for hours: at 10 000 orders/s the three took
   * 31 % + 31 % + 31 % of a core with C1 only, 15 % + 6 % + 6 % with C2, for ~10 s more to start.
   */
  private static final List<String> BROKER_JVM =
      List.of("-XX:+UseSerialGC", "-Djava.awt.headless=true");

  /**
   * A small initial heap: idle nodes stay near 280 MB RSS instead of 400 MB; the heap grows under
   * load.
   */
  private static final String INITIAL_HEAP = "-Xms64m";

  private static final Pattern PARTITION =
      Pattern.compile(
          "Partition:\\s*(\\d+)\\s+Leader:\\s*(\\S+)\\s+Replicas:\\s*(\\S+)\\s+Isr:\\s*(\\S*)");

  private static final SharedInstance<KafkaCluster> SHARED =
      new SharedInstance<>(
          "Kafka cluster",
          () -> builder().freePorts().build(),
          cluster -> cluster.start().createOrdersTopic());

  private final StackConfig config;
  private final List<Integer> clientPorts;
  private final List<Integer> controllerPorts;
  private final List<Integer> brokerPorts;
  private final Credentials credentials;
  private final String heap;
  private final List<Integer> proxiedPorts;
  private final List<Integer> proxyPorts;

  private KafkaCluster(Builder builder) {
    super(builder, "flowders-kafka");
    this.config = builder.config;
    this.clientPorts = builder.clientPorts;
    this.controllerPorts = builder.controllerPorts;
    this.brokerPorts = builder.brokerPorts;
    this.proxiedPorts = builder.proxiedPorts;
    this.proxyPorts = builder.proxyPorts;
    this.credentials = builder.credentials;
    this.heap = builder.heap;
  }

  public static Builder builder() {
    return new Builder(StackConfig.load());
  }

  /**
   * The cluster of this JVM, on free ports, with the orders topic: started on first use and stopped
   * when the JVM exits, so every test of a module shares one start-up.
   */
  public static KafkaCluster shared() {
    return SHARED.get();
  }

  @Override
  protected String description() {
    return "Kafka cluster on " + bootstrapServers();
  }

  /**
   * Formats the nodes not formatted yet, starts them and returns once each is registered: all of
   * them, or those of {@link Builder#only}, which join the running ones from their data folders.
   */
  @Override
  protected void launch() throws IOException {
    String clusterId = clusterId();
    List<Integer> nodes = NODE_IDS.stream().filter(id -> starts(nodeName(id))).toList();
    List<Path> unformatted = new ArrayList<>();
    for (int id : nodes) {
      Folders.create(logDir(id));
      Folders.write(nodeDir(id).resolve("server.properties"), serverProperties(id));
      if (!Files.exists(logDir(id).resolve("meta.properties"))) {
        unformatted.add(nodeDir(id).resolve("server.properties"));
      }
    }
    if (secured()) {
      KafkaPrincipal.writeConfigs(clientConfigDir(), credentials);
    }
    if (!unformatted.isEmpty()) {
      tool(
              KafkaStorageFormat.class.getName(),
              Stream.concat(Stream.of(clusterId), unformatted.stream().map(Path::toString))
                  .toList())
          .orThrow("Formatting Kafka storage in " + dataDir());
    }
    nodes.forEach(this::launchNode);
    nodes.forEach(this::awaitStarted);
    if (secured()) {
      runAccess(
          clientConfigDir(),
          bootstrapServers(),
          List.of(
              "--users",
              brokerPorts.stream()
                  .map(port -> "127.0.0.1:" + port)
                  .collect(Collectors.joining(",")),
              config.topic()));
    }
  }

  /** Whether clients must authenticate (SCRAM-SHA-512) and be allowed by ACLs. */
  public boolean secured() {
    return credentials != null;
  }

  /** The folder of each principal's client config file on a secured cluster. */
  public Path clientConfigDir() {
    return dataDir();
  }

  /** The client config file of {@code principal} on a secured cluster. */
  public Path clientConfig(KafkaPrincipal principal) {
    if (!secured()) {
      throw new IllegalStateException("a PLAINTEXT Kafka cluster has no client configs");
    }
    return principal.configFile(clientConfigDir());
  }

  /**
   * Lets the producer principal write {@code topics} and the readers read them, as the stack's
   * topic (a secured cluster's ACLs are per topic).
   */
  public void grantAccess(String... topics) {
    if (secured()) {
      access(clientConfigDir(), bootstrapServers(), false, List.of(topics));
    }
  }

  /** Removes what {@link #grantAccess} allowed (a deleted topic's ACLs outlive it). */
  public void revokeAccess(String... topics) {
    if (secured() && topics.length > 0) {
      access(clientConfigDir(), bootstrapServers(), true, List.of(topics));
    }
  }

  /**
   * {@link #grantAccess} (or with {@code revoke}, {@link #revokeAccess}) on a running secured
   * cluster this JVM did not start: the client configs in {@code clientConfigDir}.
   */
  public static void access(
      Path clientConfigDir, String bootstrap, boolean revoke, List<String> topics) {
    List<String> args = new ArrayList<>(revoke ? List.of("--revoke") : List.of());
    args.addAll(topics);
    runAccess(clientConfigDir, bootstrap, args);
  }

  /** {@link KafkaAccess} in a child JVM on Kafka's classpath. */
  private static void runAccess(Path clientConfigDir, String bootstrap, List<String> args) {
    List<String> all = new ArrayList<>(List.of(clientConfigDir.toString(), bootstrap));
    all.addAll(args);
    toolLauncher(KafkaAccess.class.getName())
        .args(all)
        .run(TOOL_TIMEOUT)
        .orThrow("Setting Kafka users and ACLs on " + bootstrap);
  }

  public String bootstrapServers() {
    return clientPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /**
   * The bootstrap servers of the proxied client listener ({@link Builder#proxiedListener}): the
   * proxies' ports, which the nodes advertise on that listener, so that a client bootstrapped there
   * reaches every node through its proxy.
   */
  public String proxiedBootstrapServers() {
    if (proxyPorts.isEmpty()) {
      throw new IllegalStateException("this Kafka cluster has no proxied listener");
    }
    return proxyPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  public List<Integer> nodeIds() {
    return NODE_IDS;
  }

  public int port(int nodeId) {
    return clientPorts.get(index(nodeId));
  }

  public int controllerPort(int nodeId) {
    return controllerPorts.get(index(nodeId));
  }

  /** The inter-broker listener's port of a secured node (SASL/PLAIN, the admin only). */
  public int brokerPort(int nodeId) {
    return brokerPorts.get(index(nodeId));
  }

  public Path dataDir() {
    return workDir();
  }

  public Path logFile(int nodeId) {
    return nodeDir(nodeId).resolve("node.log");
  }

  public boolean isRunning(int nodeId) {
    return process(nodeName(nodeId)).map(JvmProcess::isAlive).orElse(false);
  }

  public long pid(int nodeId) {
    return process(nodeName(nodeId))
        .orElseThrow(() -> new IllegalStateException("Kafka node " + nodeId + " is not running"))
        .pid();
  }

  /** The topic of {@link StackConfig} (orders: 10 partitions, RF 3, min.insync.replicas=2). */
  public void createOrdersTopic() {
    createOrdersTopic(config.topic());
  }

  /**
   * A topic {@code name} shaped like the orders topic (partitions, replication, min ISR), for a
   * test that wants a topic of its own.
   */
  public void createOrdersTopic(String name) {
    createTopic(
        name,
        config.topicPartitions(),
        config.topicReplicationFactor(),
        Map.of("min.insync.replicas", Integer.toString(config.topicMinInsyncReplicas())));
  }

  /**
   * Creates the topic unless it exists and returns once every partition has a leader and a full
   * ISR.
   */
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--create",
                "--if-not-exists",
                "--topic",
                name,
                "--partitions",
                Integer.toString(partitions),
                "--replication-factor",
                Integer.toString(replicationFactor)));
    configs.forEach((key, value) -> args.addAll(List.of("--config", key + "=" + value)));
    topics(args.toArray(String[]::new));
    Await.until(
        "Topic " + name + " with " + partitions + " fully replicated partitions",
        TOOL_TIMEOUT,
        () -> {
          Map<Integer, Partition> described = partitions(name);
          return described.size() == partitions
              && described.values().stream().allMatch(Partition::fullyReplicated);
        });
  }

  /** TopicCommand's description of a topic. */
  public String describeTopic(String name) {
    return topics("--describe", "--topic", name).stdout();
  }

  /** Each partition of a topic: leader, replicas, in-sync replicas. */
  public Map<Integer, Partition> partitions(String topic) {
    Map<Integer, Partition> partitions = new LinkedHashMap<>();
    Matcher matcher = PARTITION.matcher(describeTopic(topic));
    while (matcher.find()) {
      partitions.put(
          Integer.parseInt(matcher.group(1)),
          new Partition(
              Integer.parseInt(matcher.group(1)),
              matcher.group(2),
              ids(matcher.group(3)),
              ids(matcher.group(4))));
    }
    return partitions;
  }

  /** Returns once no partition of any topic misses an in-sync replica. */
  public void awaitFullIsr() {
    Await.until(
        "Kafka partitions fully replicated",
        START_TIMEOUT,
        () -> {
          JvmProcess.Result result =
              tool(TOPIC_COMMAND, adminArgs("--describe", "--under-replicated-partitions"));
          return result.exitCode() == 0 && result.stdout().isBlank();
        });
  }

  /** Controlled shutdown (SIGTERM): the node hands its leaderships over, then exits. */
  public void stopNode(int nodeId) {
    remove(nodeName(nodeId)).ifPresent(JvmProcess::close);
  }

  /** SIGKILL: a crash, as far as the other nodes can tell. */
  public void killNode(int nodeId) {
    remove(nodeName(nodeId)).ifPresent(JvmProcess::kill);
  }

  /**
   * Starts a stopped node and returns once it is registered and every partition's ISR is full
   * again.
   */
  public void startNode(int nodeId) {
    startNodes(List.of(nodeId));
  }

  /**
   * Starts the stopped nodes of {@code nodeIds} together (after a full outage none can register
   * before a quorum of controllers is back) and returns once each is registered and every
   * partition's ISR is full again.
   */
  public void startNodes(List<Integer> nodeIds) {
    List<Integer> stopped = nodeIds.stream().filter(id -> !isRunning(id)).toList();
    if (stopped.isEmpty()) {
      return;
    }
    stopped.forEach(this::launchNode);
    stopped.forEach(this::awaitStarted);
    awaitFullIsr();
  }

  /**
   * Runs a Kafka CLI tool (e.g. {@link #CONSOLE_CONSUMER}) in a child JVM; pass --bootstrap-server
   * yourself.
   */
  public JvmProcess.Result runTool(String mainClass, String... args) {
    return tool(mainClass, List.of(args));
  }

  /** Like {@link #runTool} with {@code input} as the tool's stdin (ConsoleProducer). */
  public JvmProcess.Result runTool(Path input, String mainClass, String... args) {
    return toolBuilder(mainClass, List.of(args)).input(input).run(TOOL_TIMEOUT);
  }

  /**
   * SIGTERM together (SIGKILL after a grace period) when the data directory is the caller's, so
   * that the next start finds clean logs; SIGKILL at once for a temporary one, whose data is
   * deleted anyway (a clean shutdown of 3 nodes takes ~6 s).
   */
  @Override
  protected void stop(List<JvmProcess> running) {
    if (ownsWorkDir()) {
      running.forEach(JvmProcess::kill);
    } else {
      super.stop(running);
    }
  }

  private JvmProcess.Result topics(String... args) {
    return tool(TOPIC_COMMAND, adminArgs(args)).orThrow("kafka-topics " + String.join(" ", args));
  }

  /** TopicCommand's arguments as the admin: the brokers, and the admin's config when secured. */
  private List<String> adminArgs(String... args) {
    List<String> all = new ArrayList<>(List.of("--bootstrap-server", bootstrapServers()));
    if (secured()) {
      all.addAll(List.of("--command-config", clientConfig(KafkaPrincipal.ADMIN).toString()));
    }
    all.addAll(List.of(args));
    return all;
  }

  private JvmProcess.Result tool(String mainClass, List<String> args) {
    return toolBuilder(mainClass, args).run(TOOL_TIMEOUT);
  }

  private JvmProcess.Builder toolBuilder(String mainClass, List<String> args) {
    return toolLauncher(mainClass).args(args);
  }

  /**
   * A Kafka CLI tool (kafka-topics, the console clients) in a JVM of its own: Kafka's jars and
   * logging config, tuned to start fast; pass --bootstrap-server yourself.
   */
  public static JvmProcess.Builder toolLauncher(String mainClass) {
    return JvmProcess.builder(mainClass)
        .classpath(Runtimes.classpath(Runtimes.KAFKA))
        .heap(TOOL_HEAP)
        .jvmArgs(TOOL_JVM.toArray(String[]::new))
        .jvmArgs(log4jConfig());
  }

  private void launchNode(int nodeId) {
    startProcess(
        JvmProcess.builder(BROKER_MAIN)
            .name(nodeName(nodeId))
            .classpath(Runtimes.classpath(Runtimes.KAFKA))
            .heap(heap)
            .jvmArgs(INITIAL_HEAP)
            .jvmArgs(BROKER_JVM.toArray(String[]::new))
            .jvmArgs(log4jConfig())
            .args(nodeDir(nodeId).resolve("server.properties").toString())
            .logFile(logFile(nodeId))
            .workDir(nodeDir(nodeId)));
  }

  private void awaitStarted(int nodeId) {
    JvmProcess node = process(nodeName(nodeId)).orElseThrow();
    node.awaitReady(
        "registered on port " + port(nodeId),
        START_TIMEOUT,
        () -> node.logContains(STARTED) && Ports.isOpen(port(nodeId)));
  }

  private String serverProperties(int nodeId) {
    String voters =
        NODE_IDS.stream()
            .map(id -> id + "@127.0.0.1:" + controllerPort(id))
            .collect(Collectors.joining(","));
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(nodeId));
    props.put("controller.quorum.voters", voters);
    props.put("controller.listener.names", "CONTROLLER");
    if (secured()) {
      props.putAll(securedListeners(nodeId));
    } else {
      props.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:"
              + port(nodeId)
              + ",CONTROLLER://127.0.0.1:"
              + controllerPort(nodeId));
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port(nodeId));
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    }
    props.put("log.dirs", logDir(nodeId).toString());
    props.put("auto.create.topics.enable", "false");
    props.put("default.replication.factor", "3");
    props.put("min.insync.replicas", "2");
    props.put("offsets.topic.replication.factor", "3");
    // 50 offsets partitions x 3 replicas would be most of the cluster's partitions, for a handful
    // of groups.
    props.put("offsets.topic.num.partitions", "10");
    props.put("transaction.state.log.replication.factor", "3");
    props.put("transaction.state.log.min.isr", "2");
    props.put("transaction.state.log.num.partitions", "10");
    props.put("share.coordinator.state.topic.replication.factor", "3");
    props.put("share.coordinator.state.topic.min.isr", "2");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.io.threads", "4");
    props.put("num.network.threads", "2");
    return props.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * CLIENT: SCRAM-SHA-512, users from the metadata. BROKER (inter-broker) and CONTROLLER: PLAIN,
   * the admin alone, from a static JAAS entry (SCRAM users live in the metadata these listeners
   * serve).
   */
  private Map<String, String> securedListeners(int nodeId) {
    String password = KafkaPrincipal.ADMIN.password(credentials);
    String plain =
        KafkaPrincipal.ADMIN
                .jaas("org.apache.kafka.common.security.plain.PlainLoginModule", password)
                .replaceFirst(";$", "")
            + " user_"
            + KafkaPrincipal.ADMIN.user()
            + "=\""
            + password
            + "\";";
    Map<String, String> props = new LinkedHashMap<>();
    String listeners =
        "CLIENT://127.0.0.1:"
            + port(nodeId)
            + ",BROKER://127.0.0.1:"
            + brokerPort(nodeId)
            + ",CONTROLLER://127.0.0.1:"
            + controllerPort(nodeId);
    String advertised =
        "CLIENT://127.0.0.1:" + port(nodeId) + ",BROKER://127.0.0.1:" + brokerPort(nodeId);
    String protocols = "CLIENT:SASL_PLAINTEXT,BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT";
    // The client listeners: SCRAM users from the metadata.
    List<String> scramListeners = new ArrayList<>(List.of("client"));
    if (!proxiedPorts.isEmpty()) {
      int node = index(nodeId);
      listeners += ",PROXIED://127.0.0.1:" + proxiedPorts.get(node);
      advertised += ",PROXIED://127.0.0.1:" + proxyPorts.get(node);
      protocols += ",PROXIED:SASL_PLAINTEXT";
      scramListeners.add("proxied");
    }
    props.put("listeners", listeners);
    props.put("advertised.listeners", advertised);
    props.put("listener.security.protocol.map", protocols);
    props.put("inter.broker.listener.name", "BROKER");
    props.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    props.put("sasl.mechanism.controller.protocol", "PLAIN");
    for (String listener : scramListeners) {
      props.put("listener.name." + listener + ".sasl.enabled.mechanisms", KafkaPrincipal.MECHANISM);
      props.put(
          "listener.name." + listener + ".scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    props.put("listener.name.broker.sasl.enabled.mechanisms", "PLAIN");
    props.put("listener.name.broker.plain.sasl.jaas.config", plain);
    props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
    props.put("listener.name.controller.plain.sasl.jaas.config", plain);
    props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    props.put("allow.everyone.if.no.acl.found", "false");
    props.put("super.users", "User:" + KafkaPrincipal.ADMIN.user());
    return props;
  }

  private String clusterId() throws IOException {
    Path file = dataDir().resolve(CLUSTER_ID_FILE);
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    String id = randomClusterId();
    Folders.write(file, id + "\n");
    return id;
  }

  /**
   * What Kafka's Uuid.randomUuid() makes: 16 random bytes, URL-safe base64, never starting with
   * '-'.
   */
  private static String randomClusterId() {
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[16];
    String id;
    do {
      random.nextBytes(bytes);
      id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    } while (id.startsWith("-"));
    return id;
  }

  private static String log4jConfig() {
    return "-Dlog4j2.configurationFile="
        + FlowdersHome.resolve("deploy/kafka/log4j2.properties").toUri();
  }

  private static String nodeName(int nodeId) {
    return "kafka-" + nodeId;
  }

  private Path nodeDir(int nodeId) {
    return dataDir().resolve("node-" + nodeId);
  }

  private Path logDir(int nodeId) {
    return nodeDir(nodeId).resolve("data");
  }

  private static int index(int nodeId) {
    if (!NODE_IDS.contains(nodeId)) {
      throw new IllegalArgumentException("No Kafka node " + nodeId + "; nodes are " + NODE_IDS);
    }
    return nodeId - 1;
  }

  private static List<Integer> ids(String csv) {
    return csv.isBlank()
        ? List.of()
        : Stream.of(csv.split(",")).map(String::strip).map(Integer::parseInt).toList();
  }

  /** One partition as TopicCommand describes it; the leader is "none" while it has none. */
  public record Partition(int id, String leader, List<Integer> replicas, List<Integer> isr) {

    public boolean fullyReplicated() {
      return !leader.equals("none") && !leader.equals("-1") && isr.size() == replicas.size();
    }
  }

  public static final class Builder extends JvmComponent.Builder<Builder> {

    private final StackConfig config;
    private List<Integer> clientPorts;
    private List<Integer> controllerPorts;
    private List<Integer> brokerPorts;
    private Credentials credentials;
    private List<Integer> proxiedPorts = List.of();
    private List<Integer> proxyPorts = List.of();

    private Builder(StackConfig config) {
      super("512m");
      this.config = config;
      this.clientPorts = config.kafkaClientPorts();
      this.controllerPorts = config.kafkaControllerPorts();
      this.brokerPorts = config.kafkaBrokerPorts();
    }

    /**
     * SASL/SCRAM and ACLs with the Kafka passwords of {@code credentials} (see {@link
     * KafkaCluster}); PLAINTEXT and no authorizer without.
     */
    public Builder secured(Credentials credentials) {
      this.credentials = credentials;
      return this;
    }

    /**
     * Ports nothing else uses, instead of the stack's fixed 9092-9094 (which ./flowders up may
     * hold).
     */
    public Builder freePorts() {
      int n = NODE_IDS.size();
      List<Integer> ports = Ports.free(3 * n);
      this.brokerPorts = List.copyOf(ports.subList(2 * n, 3 * n));
      return ports(ports.subList(0, n), ports.subList(n, 2 * n));
    }

    /** Client and controller ports of nodes 1..3. */
    public Builder ports(List<Integer> clientPorts, List<Integer> controllerPorts) {
      if (clientPorts.size() != NODE_IDS.size() || controllerPorts.size() != NODE_IDS.size()) {
        throw new IllegalArgumentException(
            "3 client and 3 controller ports, not " + clientPorts + " / " + controllerPorts);
      }
      this.clientPorts = List.copyOf(clientPorts);
      this.controllerPorts = List.copyOf(controllerPorts);
      return this;
    }

    /** Inter-broker listener ports of nodes 1..3 (a secured cluster's). */
    public Builder brokerPorts(List<Integer> brokerPorts) {
      if (brokerPorts.size() != NODE_IDS.size()) {
        throw new IllegalArgumentException("3 inter-broker ports, not " + brokerPorts);
      }
      this.brokerPorts = List.copyOf(brokerPorts);
      return this;
    }

    /**
     * A second client listener on a secured cluster (SCRAM, like the first), on {@code listenPorts}
     * of nodes 1..3, which the nodes advertise as {@code proxyPorts}: proxies in front of it, one
     * per node, carry all the traffic of the clients bootstrapped there ({@link
     * #proxiedBootstrapServers}), so a fault test can cut those clients off and no one else.
     */
    public Builder proxiedListener(List<Integer> listenPorts, List<Integer> proxyPorts) {
      if (listenPorts.size() != NODE_IDS.size() || proxyPorts.size() != NODE_IDS.size()) {
        throw new IllegalArgumentException(
            "3 listener and 3 proxy ports, not " + listenPorts + " / " + proxyPorts);
      }
      this.proxiedPorts = List.copyOf(listenPorts);
      this.proxyPorts = List.copyOf(proxyPorts);
      return this;
    }

    /** Where the nodes keep their logs; a temporary directory, deleted on close, by default. */
    public Builder dataDir(Path dataDir) {
      return folder(dataDir);
    }

    public KafkaCluster build() {
      if (!proxiedPorts.isEmpty() && credentials == null) {
        throw new IllegalStateException("a proxied listener is a secured cluster's");
      }
      return new KafkaCluster(this);
    }
  }
}
