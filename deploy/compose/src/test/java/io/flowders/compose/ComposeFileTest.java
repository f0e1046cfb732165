package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.compose.ComposeFile.Mount;
import io.flowders.compose.ComposeFile.Port;
import io.flowders.compose.ComposeFile.Service;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml runs the same stack as {@code ./flowders up}: same versions (parent pom), same
 * settings (deploy/flowders.env), same ports, topic, catalog and warehouse (the contract). Each
 * test reads the places that must agree and compares them, so a value changed in one place only
 * fails here.
 */
class ComposeFileTest {

  // The contract (DESIGN.md): what users, scripts and checks rely on.
  private static final String TOPIC = "orders";
  private static final int PARTITIONS = 10;
  private static final int REPLICATION_FACTOR = 3;
  private static final int MIN_INSYNC_REPLICAS = 2;
  private static final String CATALOG = "lake";
  private static final String WAREHOUSE = "s3a://warehouse/iceberg";
  private static final int WORKERS = 2;
  private static final int WORKER_CORES = 2;
  private static final int EXECUTORS = 4;
  private static final Map<Integer, String> CONTRACT_PORTS =
      Map.ofEntries(
          Map.entry(9092, "kafka1"),
          Map.entry(9093, "kafka2"),
          Map.entry(9094, "kafka3"),
          Map.entry(8888, "kafka-ui"),
          Map.entry(7077, "spark-master"),
          Map.entry(8090, "spark-master"),
          Map.entry(8091, "spark-worker-1"),
          Map.entry(8092, "spark-worker-2"),
          Map.entry(4040, "streaming-job"),
          Map.entry(9464, "streaming-job"),
          Map.entry(9000, "minio"),
          Map.entry(9001, "minio"),
          Map.entry(8080, "producer"));

  private static final List<String> KAFKA_NODES = List.of("kafka1", "kafka2", "kafka3");
  private static final List<String> SPARK_SERVICES =
      List.of("spark-master", "spark-worker-1", "spark-worker-2", "streaming-job");
  private static final List<String> SERVICES_WITH_SETTINGS =
      List.of(
          "kafka-init",
          "minio-init",
          "spark-master",
          "spark-worker-1",
          "spark-worker-2",
          "streaming-job",
          "producer");

  /**
   * The only settings a container may see differently from the host: addresses and the checkpoint
   * (keys come from the credentials service's files, never from the compose file).
   */
  private static final Set<String> CONTAINER_SPECIFIC =
      Set.of(
          "FLOWDERS_KAFKA_BOOTSTRAP",
          "FLOWDERS_S3_ENDPOINT",
          "FLOWDERS_SPARK_MASTER",
          "FLOWDERS_CHECKPOINT");

  private static final String KAFKA_IMAGE = "apache/kafka";

  /** The images this repo builds: names no registry must answer for. */
  private static final String OUR_IMAGES = "flowders/";

  private static final String SPARK_IMAGE_BUILDER = "spark-master";
  private static final String LOOPBACK = "127.0.0.1";
  private static final String JOB_CLASS = "io.flowders.job.OrdersJob";
  private static final Pattern ADVERTISED =
      Pattern.compile(
          "INTERNAL://(?<internal>[^,]+),EXTERNAL://(?<external>[^,]+),"
              + "REPLICATION://(?<replication>[^,]+)");

  private final ComposeFile compose = ComposeFile.read();
  private final Map<String, String> settings = Repo.envFile(Repo.SETTINGS_FILE);
  private final Map<String, String> pom = Repo.pomProperties();

  @Test
  void definesEveryComponentOfTheStack() {
    assertThat(compose.serviceNames())
        .containsExactlyInAnyOrder(
            "credentials",
            "kafka1",
            "kafka2",
            "kafka3",
            "kafka-init",
            "kafka-ui",
            "minio",
            "minio-init",
            "spark-master",
            "spark-worker-1",
            "spark-worker-2",
            "streaming-job",
            "producer");
  }

  @Test
  void publishesTheContractPortsOnTheHostOnceEach() {
    Map<Integer, String> published = new HashMap<>();
    for (Service service : compose.services()) {
      for (Port port : service.ports()) {
        assertThat(published.put(port.published(), service.name()))
            .as("host port %d published twice", port.published())
            .isNull();
      }
    }
    assertThat(published).containsExactlyInAnyOrderEntriesOf(CONTRACT_PORTS);
  }

  @Test
  void hostPortsAreTheOnesTheLocalStackUses() {
    List<String> bootstrap = List.of(settings.get("FLOWDERS_KAFKA_BOOTSTRAP").split(","));
    assertThat(bootstrap).hasSameSizeAs(KAFKA_NODES);
    for (int i = 0; i < KAFKA_NODES.size(); i++) {
      assertPublishes(KAFKA_NODES.get(i), URI.create("tcp://" + bootstrap.get(i)).getPort());
    }
    assertPublishes("spark-master", URI.create(settings.get("FLOWDERS_SPARK_MASTER")).getPort());
    assertPublishesAsIs("spark-master", intSetting("FLOWDERS_SPARK_MASTER_UI_PORT"));
    assertPublishesAsIs("streaming-job", intSetting("FLOWDERS_SPARK_UI_PORT"));
    assertPublishesAsIs("streaming-job", intSetting("FLOWDERS_JOB_METRICS_PORT"));
    assertPublishes("minio", URI.create(settings.get("FLOWDERS_S3_ENDPOINT")).getPort());
    assertPublishesAsIs("producer", intSetting("FLOWDERS_PRODUCER_PORT"));

    List<String> workerUiPorts = List.of(settings.get("FLOWDERS_SPARK_WORKER_UI_PORTS").split(","));
    assertThat(workerUiPorts).hasSize(WORKERS);
    for (int n = 1; n <= WORKERS; n++) {
      Service worker = compose.service("spark-worker-" + n);
      assertThat(worker.command()).containsExactly("worker", String.valueOf(n));
      int uiPort = Integer.parseInt(workerUiPorts.get(n - 1));
      assertPublishesAsIs(worker.name(), uiPort);
      assertThat(String.join(" ", worker.healthcheckTest())).contains("localhost:" + uiPort);
    }
  }

  @Test
  void kafkaImageIsTheVersionTheParentPomPins() {
    String image = KAFKA_IMAGE + ":" + pom.get("kafka.version");
    List<String> kafkaServices =
        compose.services().stream()
            .filter(s -> s.image() != null && s.image().startsWith(KAFKA_IMAGE + ":"))
            .map(
                s -> {
                  assertThat(s.image()).as(s.name()).isEqualTo(image);
                  return s.name();
                })
            .toList();
    assertThat(kafkaServices)
        .containsExactlyInAnyOrder("credentials", "kafka1", "kafka2", "kafka3", "kafka-init");
  }

  @Test
  void sparkImageIsBuiltForTheParentPomsSparkAndScalaVersions() {
    Map<String, String> versions =
        Map.of(
            "SPARK_VERSION", pom.get("spark.version"),
            "SCALA_BINARY_VERSION", pom.get("scala.binary.version"));
    String dockerfile = Repo.read(Repo.SPARK_DOCKERFILE);
    versions.forEach(
        (arg, version) ->
            assertThat(dockerfile)
                .as("default of ARG %s", arg)
                .containsOnlyOnce("ARG " + arg + "=" + version + "\n"));

    Service builder = compose.service(SPARK_IMAGE_BUILDER);
    assertThat(builder.build()).containsEntry("dockerfile", Repo.SPARK_DOCKERFILE);
    assertThat(builder.buildArgs()).isEqualTo(versions);
    for (String name : SPARK_SERVICES) {
      assertThat(compose.service(name).image())
          .as("one image for every Spark role")
          .isEqualTo(builder.image());
    }
  }

  /**
   * Two services building one tag fail under BuildKit's bake ("image ... already exists"), and an
   * image of ours that compose may pull is whatever a registry holds under that name. So one
   * service builds each image (pull_policy build), and the others take it as built (pull_policy
   * never) and start after that service.
   */
  @Test
  void eachImageOfOursIsBuiltByOneServiceAndNeverPulled() {
    Map<String, List<Service>> servicesByImage = new LinkedHashMap<>();
    for (Service service : compose.services()) {
      servicesByImage.computeIfAbsent(service.image(), image -> new ArrayList<>()).add(service);
    }
    List<String> built = new ArrayList<>();
    servicesByImage.forEach(
        (image, services) -> {
          List<Service> builders = services.stream().filter(s -> s.build() != null).toList();
          if (builders.isEmpty()) {
            assertThat(image).as("an image compose pulls").doesNotStartWith(OUR_IMAGES);
            return;
          }
          built.add(image);
          assertThat(builders).as("services that build " + image).hasSize(1);
          Service builder = builders.get(0);
          assertThat(builder.pullPolicy()).as(builder.name()).isEqualTo("build");
          for (Service user : services) {
            if (user != builder) {
              assertThat(user.pullPolicy()).as(user.name()).isEqualTo("never");
              assertThat(user.dependsOn())
                  .as(user.name() + " starts after " + builder.name())
                  .containsKey(builder.name());
            }
          }
        });
    assertThat(built)
        .containsExactlyInAnyOrder(
            compose.service(SPARK_IMAGE_BUILDER).image(), compose.service("producer").image())
        .allSatisfy(image -> assertThat(image).startsWith(OUR_IMAGES));
  }

  /** The stack is for this machine only: nothing is published on the network's interfaces. */
  @Test
  void everyPortIsPublishedOnLoopbackOnly() {
    for (Service service : compose.services()) {
      assertThat(service.portHostIps())
          .as(service.name() + " publishes on " + LOOPBACK + " only")
          .allMatch(LOOPBACK::equals);
    }
  }

  /** SELinux hosts refuse containers a host folder that is not relabelled (:z, shared). */
  @Test
  void hostFoldersAreMountedWithASharedSelinuxLabel() {
    List<Mount> binds = new ArrayList<>();
    for (Service service : compose.services()) {
      for (Mount mount : service.mounts()) {
        if (mount.isBind()) {
          binds.add(mount);
          assertThat(mount.options())
              .as(service.name() + " mounts " + mount.source())
              .contains("z");
        }
      }
    }
    assertThat(binds).isNotEmpty();
  }

  /**
   * Spark's UIs link to each other (master, workers, the job's UI) by their public name, the
   * container's otherwise: the host's browser resolves localhost, where every UI port is published.
   */
  @Test
  void sparkUiLinksPointAtTheHost() {
    for (String name : SPARK_SERVICES) {
      Service service = compose.service(name);
      assertThat(service.environment()).as(name).containsEntry("SPARK_PUBLIC_DNS", "localhost");
      assertThat(service.ports()).as(name).isNotEmpty();
      assertThat(service.portHostIps()).as(name).allMatch(LOOPBACK::equals);
    }
  }

  @Test
  void kafkaNodesFormOneKraftQuorumWithNetworkAndHostListeners() {
    List<String> hostBootstrap = List.of(settings.get("FLOWDERS_KAFKA_BOOTSTRAP").split(","));
    List<String> internal = new ArrayList<>();
    List<String> replication = new ArrayList<>();
    String clusterId = compose.service("kafka1").environment().get("CLUSTER_ID");
    for (int i = 0; i < KAFKA_NODES.size(); i++) {
      Service node = compose.service(KAFKA_NODES.get(i));
      Map<String, String> env = node.environment();
      int id = i + 1;
      assertThat(env)
          .containsEntry("KAFKA_NODE_ID", String.valueOf(id))
          .containsEntry("CLUSTER_ID", clusterId)
          .containsEntry("KAFKA_PROCESS_ROLES", "broker,controller")
          .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
          .containsEntry("KAFKA_MIN_INSYNC_REPLICAS", String.valueOf(MIN_INSYNC_REPLICAS));
      assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split(","))
          .hasSize(KAFKA_NODES.size())
          .anyMatch(voter -> voter.startsWith(id + "@" + node.name() + ":"));

      Matcher advertised = ADVERTISED.matcher(env.get("KAFKA_ADVERTISED_LISTENERS"));
      assertThat(advertised.matches())
          .as(node.name() + " advertises INTERNAL, EXTERNAL and REPLICATION")
          .isTrue();
      assertThat(advertised.group("internal")).startsWith(node.name() + ":");
      assertThat(advertised.group("external"))
          .as("host clients get the local stack's address")
          .isEqualTo(hostBootstrap.get(i));
      internal.add(advertised.group("internal"));
      assertThat(advertised.group("replication")).startsWith(node.name() + ":");
      replication.add(advertised.group("replication"));

      int externalPort = listenerPort(env.get("KAFKA_LISTENERS"), "EXTERNAL");
      int hostPort = URI.create("tcp://" + hostBootstrap.get(i)).getPort();
      assertThat(node.ports()).containsExactly(new Port(hostPort, externalPort));
      assertThat(node.volumes())
          .containsExactly(
              node.name() + "-data:" + env.get("KAFKA_LOG_DIRS"),
              "kafka-secrets:/run/secrets/flowders:ro");
    }
    assertThat(compose.service("streaming-job").environment())
        .as("containers bootstrap from the INTERNAL listeners")
        .containsEntry("FLOWDERS_KAFKA_BOOTSTRAP", String.join(",", internal));
    assertThat(compose.service("kafka-init").environment())
        .as("the admin bootstraps from the PLAIN listeners: SCRAM users do not exist yet")
        .containsEntry("KAFKA_ADMIN_BOOTSTRAP", String.join(",", replication));
    assertThat(KafkaUiConfig.read().bootstrapServers()).isEqualTo(String.join(",", internal));
  }

  @Test
  void kafkaInitCreatesTheTopicTheSharedSettingsDescribe() {
    assertThat(settings)
        .containsEntry("FLOWDERS_TOPIC", TOPIC)
        .containsEntry("FLOWDERS_TOPIC_PARTITIONS", String.valueOf(PARTITIONS))
        .containsEntry("FLOWDERS_TOPIC_REPLICATION_FACTOR", String.valueOf(REPLICATION_FACTOR))
        .containsEntry("FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS", String.valueOf(MIN_INSYNC_REPLICAS));

    Service init = compose.service("kafka-init");
    assertThat(init.envFiles()).containsExactly(Repo.SETTINGS_FILE);
    assertThat(init.environment().keySet()).noneMatch(key -> key.startsWith("FLOWDERS_TOPIC"));
    assertThat(init.mounts())
        .contains(new Mount("./" + Repo.KAFKA_INIT, "/flowders/kafka-init.sh", List.of("ro", "z")));
    assertThat(init.entrypoint()).containsExactly("bash", "/flowders/kafka-init.sh");
    assertThat(Repo.read(Repo.KAFKA_INIT))
        .contains(
            "--if-not-exists",
            "--topic \"$FLOWDERS_TOPIC\"",
            "--partitions \"$FLOWDERS_TOPIC_PARTITIONS\"",
            "--replication-factor \"$FLOWDERS_TOPIC_REPLICATION_FACTOR\"",
            "min.insync.replicas=$FLOWDERS_TOPIC_MIN_INSYNC_REPLICAS");
  }

  @Test
  void everyServiceThatNeedsSettingsLoadsTheSharedFileAndOverridesOnlyAddressesAndKeys() {
    for (String name : SERVICES_WITH_SETTINGS) {
      Service service = compose.service(name);
      assertThat(service.envFiles()).as(name).containsExactly(Repo.SETTINGS_FILE);
      service.environment().keySet().stream()
          .filter(key -> key.startsWith("FLOWDERS_"))
          .forEach(
              key -> {
                assertThat(CONTAINER_SPECIFIC).as(name + " overrides " + key).contains(key);
                assertThat(settings).as(key + " exists in " + Repo.SETTINGS_FILE).containsKey(key);
              });
    }
  }

  @Test
  void containersReachEachOtherByServiceName() {
    Map<String, String> env = compose.service("spark-master").environment();
    URI s3 = URI.create(env.get("FLOWDERS_S3_ENDPOINT"));
    assertThat(s3.getHost()).isEqualTo("minio");
    assertThat(compose.service("minio").ports()).extracting(Port::target).contains(s3.getPort());
    URI master = URI.create(env.get("FLOWDERS_SPARK_MASTER"));
    assertThat(master.getHost()).isEqualTo("spark-master");
    assertThat(master.getPort())
        .isEqualTo(URI.create(settings.get("FLOWDERS_SPARK_MASTER")).getPort());
    for (String name : SPARK_SERVICES) {
      assertThat(compose.service(name).hostname())
          .as("Spark advertises the host name; peers resolve the service name")
          .isEqualTo(name);
      assertThat(compose.service(name).environment())
          .as(name)
          .containsAllEntriesOf(
              Map.of(
                  "FLOWDERS_S3_ENDPOINT",
                  s3.toString(),
                  "FLOWDERS_SPARK_MASTER",
                  master.toString()));
    }
  }

  @Test
  void catalogAndWarehouseAreTheContractOnes() {
    assertThat(settings)
        .containsEntry("FLOWDERS_WAREHOUSE", WAREHOUSE)
        .containsEntry("FLOWDERS_S3_BUCKET", URI.create(WAREHOUSE).getHost());
    assertThat(Repo.read(Repo.SPARK_ENTRYPOINT))
        .contains(
            "readonly CATALOG=" + CATALOG + "\n",
            "spark.sql.catalog.$CATALOG org.apache.iceberg.spark.SparkCatalog",
            "spark.sql.catalog.$CATALOG.type hadoop",
            "spark.sql.catalog.$CATALOG.warehouse $FLOWDERS_WAREHOUSE",
            "spark.sql.extensions org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
            "spark.hadoop.fs.s3a.path.style.access true");
    assertThat(compose.service("minio-init").entrypoint())
        .containsExactly("/bin/sh", "/flowders/minio-init.sh");
    assertThat(compose.service("minio-init").mounts())
        .contains(new Mount("./" + Repo.MINIO_INIT, "/flowders/minio-init.sh", List.of("ro", "z")));
    assertThat(Repo.read(Repo.MINIO_INIT))
        .contains("mc mb --ignore-existing \"$alias/$FLOWDERS_S3_BUCKET\"");
  }

  @Test
  void startOrderWaitsOnHealthAndOnFinishedInitSteps() {
    for (Service service : compose.services()) {
      service
          .dependsOn()
          .forEach(
              (name, condition) -> {
                Service dependency = compose.service(name);
                switch (condition) {
                  case "service_healthy" ->
                      assertThat(dependency.hasHealthcheck())
                          .as(name + " has a healthcheck")
                          .isTrue();
                  case "service_completed_successfully" ->
                      assertThat(dependency.restart()).as(name).isEqualTo("no");
                  default ->
                      throw new AssertionError(
                          service.name() + " waits for " + name + " only to start");
                }
              });
      boolean initStep = "no".equals(service.restart());
      assertThat(initStep || service.restart() != null)
          .as(service.name() + " restarts after a crash")
          .isTrue();
    }
    assertThat(compose.service("streaming-job").dependsOn())
        .isEqualTo(
            Map.of(
                "credentials",
                "service_completed_successfully",
                "kafka-init",
                "service_completed_successfully",
                "minio-init",
                "service_completed_successfully",
                "spark-master",
                "service_healthy",
                "spark-worker-1",
                "service_healthy",
                "spark-worker-2",
                "service_healthy"));
    assertThat(compose.service("producer").dependsOn())
        .containsEntry("kafka-init", "service_completed_successfully");
    assertThat(compose.service("minio-init").dependsOn()).containsEntry("minio", "service_healthy");
  }

  @Test
  void streamingJobTakesFourOneCoreExecutorsAndCheckpointsOnItsOwnVolume() {
    assertThat(intSetting("FLOWDERS_SPARK_EXECUTORS")).isEqualTo(EXECUTORS);
    assertThat(intSetting("FLOWDERS_SPARK_WORKER_CORES")).isEqualTo(WORKER_CORES);
    assertThat(WORKERS * WORKER_CORES)
        .as("the workers have a core per executor")
        .isEqualTo(EXECUTORS);
    assertThat(Repo.read(Repo.SPARK_ENTRYPOINT))
        .contains(
            "--conf spark.executor.cores=1",
            "--conf \"spark.cores.max=$FLOWDERS_SPARK_EXECUTORS\"");

    Service job = compose.service("streaming-job");
    assertThat(job.command()).containsExactly("job");
    String checkpoint = job.environment().get("FLOWDERS_CHECKPOINT");
    assertThat(job.volumes())
        .anySatisfy(
            volume -> {
              String[] parts = volume.split(":");
              assertThat(compose.namedVolumes()).contains(parts[0]);
              assertThat(checkpoint).startsWith(parts[1] + "/");
            });
  }

  /**
   * As ./flowders up's supervisor does: a job that fails (exit non-zero) is started again, with the
   * daemon's backoff (100 ms doubling to 1 min); a job stopped on purpose (docker stop, compose
   * down: SIGTERM, then exit 0) stays stopped. A job stopped by its stop_grace_period would be
   * killed mid-batch: its grace must cover the job's own (25 s).
   */
  @Test
  void theStreamingJobIsRestartedAfterAFailureButNotAfterAStop() {
    Service job = compose.service("streaming-job");

    assertThat(job.restart()).isIn("unless-stopped", "on-failure");
    assertThat(job.spec().get("stop_grace_period")).isEqualTo("30s");
  }

  @Test
  void everyFileTheStackMountsLoadsOrCopiesExists() {
    for (Service service : compose.services()) {
      service
          .envFiles()
          .forEach(path -> assertThat(Repo.path(path)).as(service.name()).isRegularFile());
      for (String volume : service.volumes()) {
        String source = volume.split(":")[0];
        if (source.startsWith("./warehouse/")) {
          assertThat(Repo.path(source).normalize().getParent())
              .as(service.name() + " keeps its data in the git-ignored warehouse/")
              .isEqualTo(Repo.path("warehouse"));
        } else if (source.startsWith("./")) {
          assertThat(Repo.path(source)).as(service.name() + " mounts").exists();
        } else {
          assertThat(compose.namedVolumes())
              .as(service.name() + " uses a declared volume")
              .contains(source);
        }
      }
    }
    for (Service service : compose.services()) {
      if (service.build() != null) {
        Path context = Repo.path((String) service.build().get("context"));
        assertThat(context).as(service.name() + " build context").isDirectory();
        assertThat(context.resolve((String) service.build().get("dockerfile")))
            .as(service.name())
            .isRegularFile();
      }
    }
    String dockerfile = Repo.read(Repo.SPARK_DOCKERFILE);
    Matcher copy = Pattern.compile("(?m)^COPY (?:--chmod=\\S+ )?(\\S+) \\S+$").matcher(dockerfile);
    List<String> copied = new ArrayList<>();
    while (copy.find()) {
      copied.add(copy.group(1));
    }
    assertThat(copied)
        .contains(Repo.SETTINGS_FILE, Repo.SPARK_ENTRYPOINT)
        .allSatisfy(source -> assertThat(Repo.path(source)).as("COPY " + source).exists());
    assertThat(Files.isExecutable(Repo.path(Repo.SPARK_ENTRYPOINT))).isTrue();
  }

  @Test
  void entrypointNamesEachMainClassInOnePlace() {
    String script = Repo.read(Repo.SPARK_ENTRYPOINT);
    assertThat(script)
        .containsOnlyOnce("io.flowders.verify.Verify")
        .containsOnlyOnce("readonly JOB_CLASS=" + JOB_CLASS + "\n");
    assertThat(Repo.path("streaming-job/src/main/java/" + JOB_CLASS.replace('.', '/') + ".java"))
        .isRegularFile();
  }

  @Test
  void sparkImageTakesTheJobsSparkSubmitJarFromTheJobModule() {
    String pom = Repo.read("streaming-job/pom.xml");
    String artifactId =
        pom.replaceFirst("(?s).*?</parent>\\s*<artifactId>([^<]+)</artifactId>.*", "$1");
    assertThat(artifactId).isEqualTo("flowders-streaming-job");
    assertThat(pom).contains("<shadedClassifierName>spark</shadedClassifierName>");
    assertThat(Repo.read(Repo.SPARK_DOCKERFILE))
        .contains(
            "mvn -B -ntp -pl streaming-job -am package -DskipTests",
            "cp streaming-job/target/"
                + artifactId
                + "-*-spark.jar /out/flowders-streaming-job.jar")
        .doesNotContain("target/lib");
  }

  private void assertPublishes(String service, int hostPort) {
    assertThat(compose.service(service).ports())
        .extracting(Port::published)
        .as(service)
        .contains(hostPort);
  }

  /**
   * Spark binds the settings' port inside the container too, so host and container ports are one.
   */
  private void assertPublishesAsIs(String service, int port) {
    assertThat(compose.service(service).ports()).as(service).contains(new Port(port, port));
  }

  private int intSetting(String key) {
    return Integer.parseInt(settings.get(key));
  }

  private static int listenerPort(String listeners, String name) {
    return Arrays.stream(listeners.split(","))
        .filter(listener -> listener.startsWith(name + "://"))
        .mapToInt(listener -> Integer.parseInt(listener.substring(listener.lastIndexOf(':') + 1)))
        .findFirst()
        .orElseThrow();
  }
}
