package io.flowders.bench;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.KafkaClientProperties;
import io.flowders.stack.Credentials;
import io.flowders.stack.FaultProxy;
import io.flowders.stack.FlowdersHome;
import io.flowders.stack.Folders;
import io.flowders.stack.KafkaCluster;
import io.flowders.stack.KafkaPrincipal;
import io.flowders.stack.Ports;
import io.flowders.stack.Processes;
import io.flowders.stack.S3Server;
import io.flowders.stack.SparkCluster;
import io.flowders.stack.StackConfig;
import io.flowders.stack.StackLayout;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the bench runs: a stack of its own (3 Kafka nodes, the S3 server, a Spark cluster of 2
 * workers x 2 cores) on free ports in a temporary folder, or the running {@code ./flowders up}
 * stack ({@code --attach}). Either way the bench writes only to topics and tables of its own,
 * except freshness on an attached stack, which measures the stack's own pipeline. Kafka is secured
 * as the stack's: the bench's producers write as the producer principal and its readers read as the
 * job's, each topic of the bench with the ACLs of the stack's topic.
 */
final class BenchStack implements AutoCloseable {

  /** Under the bucket: the tables of the bench's job runs, one warehouse per run. */
  static final String BENCH_TABLES = "bench";

  private final StackLayout base;
  private final boolean attached;
  private final Path buckets;
  private final List<AutoCloseable> owned;
  private final KafkaCluster kafka;
  private final S3Server s3;
  private final SparkCluster spark;
  private final List<FaultProxy> producerProxies;
  private final List<String> topics = new ArrayList<>();

  private BenchStack(
      StackLayout base,
      boolean attached,
      Path buckets,
      KafkaCluster kafka,
      S3Server s3,
      SparkCluster spark,
      List<FaultProxy> producerProxies) {
    this.base = base;
    this.attached = attached;
    this.buckets = buckets;
    this.kafka = kafka;
    this.s3 = s3;
    this.spark = spark;
    this.producerProxies = producerProxies;
    this.owned =
        Stream.<AutoCloseable>concat(Stream.of(spark, s3, kafka), producerProxies.stream())
            .filter(c -> c != null)
            .toList();
  }

  static BenchStack start(Path work, PrintStream out) {
    return start(work, out, true, false);
  }

  /**
   * A stack of its own, with the Spark cluster when {@code withCluster} (a job read in local[2]
   * alone needs none); with {@code producerProxies}, Kafka also has a proxied client listener with
   * a {@link FaultProxy} in front of each node, for producers that a fault cuts off from Kafka
   * while the job still reads ({@link #producerProxies}).
   */
  static BenchStack start(
      Path work, PrintStream out, boolean withCluster, boolean producerProxies) {
    KafkaCluster kafka = null;
    S3Server s3 = null;
    SparkCluster spark = null;
    List<FaultProxy> proxies = new ArrayList<>();
    try {
      long t0 = System.nanoTime();
      Path state = Folders.createPrivate(work.resolve("state"));
      Credentials credentials = Credentials.ensure(state.resolve(Credentials.FILE));
      KafkaCluster.Builder kafkaBuilder =
          KafkaCluster.builder().freePorts().dataDir(work.resolve("kafka")).secured(credentials);
      if (producerProxies) {
        List<Integer> listenPorts = Ports.free(KafkaCluster.NODE_IDS.size());
        listenPorts.forEach(port -> proxies.add(FaultProxy.to(port)));
        kafkaBuilder.proxiedListener(listenPorts, proxies.stream().map(FaultProxy::port).toList());
      }
      kafka = kafkaBuilder.build().start();
      s3 =
          S3Server.builder()
              .freePort()
              .dataDir(work.resolve("s3"))
              .bucketsDir(work.resolve("warehouse"))
              .build()
              .start();
      StackConfig defaults = StackConfig.load();
      s3.createBucket(defaults.s3Bucket());
      if (withCluster) {
        spark = SparkCluster.builder().freePorts().workDir(work.resolve("spark")).build().start();
      }
      out.printf(
          "bench stack up in %.0f s: Kafka %s, S3 %s, Spark %s%n",
          (System.nanoTime() - t0) / 1e9,
          kafka.bootstrapServers(),
          s3.endpoint(),
          spark == null ? "none" : spark.masterUrl() + " (" + spark.masterUiUrl() + ")");
      Map<String, String> env = new LinkedHashMap<>();
      env.put(StackConfig.KAFKA_BOOTSTRAP, kafka.bootstrapServers());
      env.put(
          FlowdersSettings.KAFKA_PROPERTIES.name(),
          kafka.clientConfig(KafkaPrincipal.JOB).toString());
      env.put(StackConfig.S3_ENDPOINT, s3.endpoint());
      env.put(StackConfig.S3_ACCESS_KEY, s3.accessKey());
      env.put(StackConfig.S3_SECRET_KEY, s3.secretKey());
      if (spark != null) {
        env.put(StackConfig.SPARK_MASTER, spark.masterUrl());
        env.put(StackConfig.SPARK_AUTH_SECRET, spark.authSecret());
      }
      env.put(StackLayout.STATE_DIR, state.toString());
      env.put(StackLayout.WAREHOUSE_DIR, work.resolve("warehouse").toString());
      StackLayout layout = new StackLayout(FlowdersHome.root(), StackConfig.load(env));
      return new BenchStack(layout, false, s3.bucketsDir(), kafka, s3, spark, proxies);
    } catch (RuntimeException e) {
      Stream.<AutoCloseable>concat(Stream.of(spark, s3, kafka), proxies.stream())
          .filter(c -> c != null)
          .forEach(BenchStack::closeQuietly);
      throw e;
    }
  }

  static BenchStack attach() {
    StackLayout layout = StackLayout.load();
    if (Processes.fromPidFile(layout.pidFile(StackLayout.JOB)).isEmpty()
        || !Ports.isOpen(layout.config().kafkaClientPorts().get(0))) {
      throw new IllegalStateException("--attach needs a running stack: ./flowders up first");
    }
    return new BenchStack(layout, true, layout.warehouse(), null, null, null, List.of());
  }

  boolean attached() {
    return attached;
  }

  String bootstrap() {
    return base.config().kafkaBootstrap();
  }

  /** The client config file of a Kafka principal of this stack. */
  Path clientConfig(KafkaPrincipal principal) {
    return attached ? base.kafkaClientConfig(principal) : kafka.clientConfig(principal);
  }

  /**
   * The standalone cluster, when the bench may use its cores (not while the stack's job holds
   * them).
   */
  Optional<String> clusterMaster() {
    return attached || spark == null ? Optional.empty() : Optional.of(base.config().sparkMaster());
  }

  StackLayout layout() {
    return base;
  }

  /** The base layout with some settings replaced (topic, warehouse, checkpoint of one run). */
  StackLayout layout(Map<String, String> overrides) {
    Map<String, String> env = new LinkedHashMap<>(base.config().asMap());
    env.putAll(overrides);
    env.put(StackLayout.STATE_DIR, base.state().toString());
    env.put(StackLayout.WAREHOUSE_DIR, base.warehouse().toString());
    return new StackLayout(base.home(), StackConfig.load(env));
  }

  /** A warehouse folder on disk: what the S3 server stores under an s3a:// warehouse URI. */
  Path onDisk(String warehouse) {
    String path = warehouse.replaceFirst("^s3a?://", "");
    return buckets.resolve(path);
  }

  /**
   * A topic shaped like {@code orders}: same partitions, replication, min ISR and ACLs (granted
   * first, so that every broker that knows the topic knows who may use it).
   */
  void createTopic(String name) {
    StackConfig config = base.config();
    access(false, List.of(name));
    try (Admin admin = admin()) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(
                          name, config.topicPartitions(), (short) config.topicReplicationFactor())
                      .configs(
                          Map.of(
                              "min.insync.replicas",
                              Integer.toString(config.topicMinInsyncReplicas())))))
          .all()
          .get();
      topics.add(name);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + name + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** The Kafka cluster of a stack of its own (what {@code faults} kills and restarts). */
  KafkaCluster kafka() {
    return owned("Kafka", kafka);
  }

  /**
   * The proxies in front of Kafka's proxied listener, one per node, of a stack started with them;
   * {@link KafkaCluster#proxiedBootstrapServers} reaches Kafka through them.
   */
  List<FaultProxy> producerProxies() {
    if (producerProxies.isEmpty()) {
      throw new IllegalStateException("this stack was started without producer proxies");
    }
    return producerProxies;
  }

  /** The S3 server of a stack of its own. */
  S3Server s3() {
    return owned("the S3 server", s3);
  }

  private static <T> T owned(String what, T component) {
    if (component == null) {
      throw new IllegalStateException(what + " of an attached stack is not the bench's to stop");
    }
    return component;
  }

  /** The end offset of each partition of {@code topic}: how many records it holds so far. */
  Map<Integer, Long> endOffsets(String topic) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get()
          .get(topic)
          .partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<Integer, Long> ends = new java.util.TreeMap<>();
      admin
          .listOffsets(latest)
          .all()
          .get()
          .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
      return ends;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot read the end offsets of " + topic + ": " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Every long-running process of the stack but the job and the producers, by component name. */
  Map<String, Long> servicePids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    if (attached) {
      for (StackLayout.Component c : base.components()) {
        if (!c.name().equals(StackLayout.JOB) && !c.name().equals(StackLayout.PRODUCER)) {
          Processes.fromPidFile(base.pidFile(c.name())).ifPresent(p -> pids.put(c.name(), p.pid()));
        }
      }
      return pids;
    }
    kafka.nodeIds().forEach(id -> pids.put("kafka-" + id, kafka.pid(id)));
    pids.put("s3", s3.pid());
    if (spark != null) {
      List<Long> sparkPids = spark.pids();
      pids.put("spark-master", sparkPids.get(0));
      for (int i = 1; i < sparkPids.size(); i++) {
        pids.put("spark-worker-" + i, sparkPids.get(i));
      }
    }
    return pids;
  }

  /** Executors are children of the workers. */
  List<Long> executorPids() {
    List<Long> pids = new ArrayList<>();
    servicePids()
        .forEach(
            (name, pid) -> {
              if (name.startsWith("spark-worker")) {
                ProcessHandle.of(pid)
                    .ifPresent(w -> w.descendants().forEach(d -> pids.add(d.pid())));
              }
            });
    return pids;
  }

  /**
   * A stack of its own goes away whole; on an attached stack the bench deletes the topics and
   * tables it made, and leaves the stack's own.
   */
  @Override
  public void close() {
    if (attached) {
      deleteTopics();
      Path tables = onDisk("s3a://" + base.config().s3Bucket() + "/" + BENCH_TABLES);
      try {
        Folders.deleteRecursively(tables);
      } catch (UncheckedIOException e) {
        System.err.println("bench: could not delete " + tables + ": " + e.getMessage());
      }
    }
    owned.forEach(BenchStack::closeQuietly);
  }

  private void deleteTopics() {
    try (Admin admin = admin()) {
      admin.deleteTopics(topics).all().get();
      access(true, topics);
    } catch (ExecutionException e) {
      System.err.println(
          "bench: could not delete topics " + topics + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** As the admin principal. */
  private Admin admin() {
    Map<String, Object> config =
        new HashMap<>(KafkaClientProperties.read(clientConfig(KafkaPrincipal.ADMIN)));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    return Admin.create(config);
  }

  /** Grants (or revokes) the stack's ACLs on the bench's topics. */
  private void access(boolean revoke, List<String> names) {
    if (attached) {
      KafkaCluster.access(base.kafkaDir(), bootstrap(), revoke, names);
    } else if (revoke) {
      kafka.revokeAccess(names.toArray(String[]::new));
    } else {
      kafka.grantAccess(names.toArray(String[]::new));
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      System.err.println("bench: stopping " + c + ": " + e.getMessage());
    }
  }
}
