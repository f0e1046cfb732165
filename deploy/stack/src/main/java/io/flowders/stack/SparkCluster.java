package io.flowders.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A Spark standalone cluster, one master and N workers in their own JVMs, over the SPARK_HOME that
 * {@code deploy/spark} assembles from Maven jars (no Spark distribution is downloadable here).
 * Workers launch executors with {@code SPARK_HOME/conf:SPARK_HOME/jars/*}.
 *
 * <p>Secured with {@code spark.authenticate}: the master, the workers, their executors and every
 * application share {@link #authSecret()}, and the master refuses an application without it (so
 * nobody who reaches its port runs code on the workers). The daemons get the secret in {@code
 * _SPARK_AUTH_SECRET}, never on their command lines; workers hand it to their executors the same
 * way.
 */
public final class SparkCluster extends JvmComponent<SparkCluster> {

  public static final String MASTER_MAIN = "org.apache.spark.deploy.master.Master";
  public static final String WORKER_MAIN = "org.apache.spark.deploy.worker.Worker";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final String MASTER = "spark-master";
  private static final String WORKER = "spark-worker-";

  /**
   * Where Spark's standalone daemons read the secret before their conf (SecurityManager's
   * ENV_AUTH_SECRET); workers set it for the executors they launch too, and drop a {@code
   * -Dspark.authenticate.secret} from the executors' command lines.
   */
  static final String AUTH_SECRET_ENV = "_SPARK_AUTH_SECRET";

  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final int masterPort;
  private final int masterUiPort;
  private final List<Integer> workerUiPorts;
  private final int workerCores;
  private final String workerMemory;
  private final String heap;
  private final String authSecret;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private Path sparkHome;

  private SparkCluster(Builder builder) {
    super(builder, "flowders-spark");
    this.masterPort = builder.masterPort;
    this.masterUiPort = builder.masterUiPort;
    this.workerUiPorts = builder.workerUiPorts;
    this.workerCores = builder.workerCores;
    this.workerMemory = builder.workerMemory;
    this.heap = builder.heap;
    this.authSecret = builder.authSecret;
  }

  /**
   * A cluster on the environment's settings (tests, the bench): with its FLOWDERS_SPARK_AUTH_SECRET
   * if set, else a secret of its own.
   */
  public static Builder builder() {
    return builder(StackConfig.load());
  }

  /**
   * A cluster on {@code config}'s ports, secured with its FLOWDERS_SPARK_AUTH_SECRET (the stack's
   * generated one in {@link StackLayout#config()}), or with a secret of its own when that is blank.
   */
  public static Builder builder(StackConfig config) {
    return new Builder(config);
  }

  @Override
  protected String description() {
    return "Spark cluster " + masterUrl();
  }

  /**
   * Starts the master, then the workers (or those of {@link Builder#only}: running workers find a
   * restarted master again by themselves), and returns once the master counts every worker ALIVE.
   */
  @Override
  protected void launch() {
    sparkHome = Runtimes.sparkHome();
    if (starts(MASTER)) {
      JvmProcess master =
          launch(
              MASTER,
              MASTER_MAIN,
              List.of(
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(masterPort),
                  "--webui-port",
                  Integer.toString(masterUiPort)));
      master.awaitReady(
          "serving its UI on " + masterUiUrl(), START_TIMEOUT, () -> aliveWorkers() >= 0);
    }
    for (int i = 0; i < workerUiPorts.size(); i++) {
      String name = WORKER + (i + 1);
      if (!starts(name)) {
        continue;
      }
      Path dir = Folders.create(workDir().resolve("worker-" + (i + 1)));
      launch(
          name,
          WORKER_MAIN,
          List.of(
              "--host",
              "127.0.0.1",
              "--cores",
              Integer.toString(workerCores),
              "--memory",
              workerMemory,
              "--webui-port",
              Integer.toString(workerUiPorts.get(i)),
              "--work-dir",
              dir.toString(),
              masterUrl()));
    }
    // At least: a worker killed outright counts as ALIVE until the master's timeout (60 s).
    Await.until(
        START_TIMEOUT,
        () -> aliveWorkers() >= workerUiPorts.size(),
        () -> {
          processes().stream()
              .filter(p -> !p.isAlive())
              .findFirst()
              .ifPresent(
                  dead -> {
                    throw dead.failure("exited while the cluster was starting");
                  });
          return null;
        },
        reason ->
            new IllegalStateException(
                description() + ": " + workerUiPorts.size() + " workers ALIVE: " + reason));
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public String masterUiUrl() {
    return "http://127.0.0.1:" + masterUiPort;
  }

  public List<String> workerUiUrls() {
    return workerUiPorts.stream().map(port -> "http://127.0.0.1:" + port).toList();
  }

  /**
   * The {@code spark.authenticate.secret} an application of this cluster needs in its SparkConf
   * (with {@code spark.authenticate=true}); the master refuses one without it.
   */
  public String authSecret() {
    return authSecret;
  }

  /** The SPARK_HOME the workers run executors from ({@code jars/}, {@code conf/}). */
  public Path sparkHome() {
    return sparkHome;
  }

  /** Process ids of the master and the workers, in that order. */
  public List<Long> pids() {
    return processes().stream().map(JvmProcess::pid).toList();
  }

  /** Workers the master reports ALIVE, or -1 while its UI does not answer. */
  public int aliveWorkers() {
    try {
      HttpResponse<String> state =
          http.send(
              HttpRequest.newBuilder(URI.create(masterUiUrl() + "/json/"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Matcher matcher = ALIVE_WORKERS.matcher(state.body());
      return state.statusCode() == 200 && matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JvmProcess launch(String name, String mainClass, List<String> args) {
    return startProcess(
        JvmProcess.builder(mainClass)
            .name(name)
            .classpath(
                sparkHome.resolve("conf").toString(),
                sparkHome.resolve("jars").resolve("*").toString())
            .heap(heap)
            // The UIs' kill links are GET requests: any web page the user opens could stop the job.
            .jvmArgs(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Dspark.ui.killEnabled=false",
                "-Dspark.authenticate=true")
            // Not a -D flag: ps shows command lines to every user.
            .env(AUTH_SECRET_ENV, authSecret)
            .env("SPARK_HOME", sparkHome.toString())
            .env("SPARK_SCALA_VERSION", "2.13")
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("JAVA_HOME", System.getProperty("java.home"))
            .args(args)
            .logFile(workDir().resolve(name + ".log"))
            .workDir(workDir()));
  }

  public static final class Builder extends JvmComponent.Builder<Builder> {

    private int masterPort;
    private int masterUiPort;
    private List<Integer> workerUiPorts;
    private int workerCores;
    private String workerMemory;
    private final String authSecret;

    private Builder(StackConfig config) {
      super("256m");
      this.masterPort = config.sparkMasterPort();
      this.masterUiPort = config.sparkMasterUiPort();
      this.workerUiPorts = config.sparkWorkerUiPorts();
      this.workerCores = config.sparkWorkerCores();
      this.workerMemory = config.sparkWorkerMemory();
      // Blank outside the stack (tests, the bench): a cluster of their own gets a fresh secret.
      this.authSecret =
          config.sparkAuthSecret().isBlank() ? Credentials.generate() : config.sparkAuthSecret();
    }

    /**
     * Ports nothing else uses for the master, its UI and each worker's UI, instead of
     * 7077/8090/8091..
     */
    public Builder freePorts() {
      masterPort = Ports.free();
      masterUiPort = Ports.free();
      workerUiPorts = Ports.free(workerUiPorts.size());
      return this;
    }

    /** How many workers (by default one per port of FLOWDERS_SPARK_WORKER_UI_PORTS). */
    public Builder workers(int count) {
      workerUiPorts =
          count <= workerUiPorts.size()
              ? workerUiPorts.subList(0, count)
              : IntStream.range(0, count)
                  .mapToObj(i -> i < workerUiPorts.size() ? workerUiPorts.get(i) : Ports.free())
                  .toList();
      return this;
    }

    public Builder workerCores(int cores) {
      this.workerCores = cores;
      return this;
    }

    /** Memory a worker offers its executors, e.g. "2g". */
    public Builder workerMemory(String memory) {
      this.workerMemory = memory;
      return this;
    }

    /** Logs, and the workers' work folders; a temporary directory, deleted on close, by default. */
    public Builder workDir(Path workDir) {
      return folder(workDir);
    }

    public SparkCluster build() {
      return new SparkCluster(this);
    }
  }
}
