package io.flowders.job;

import io.flowders.sink.IcebergTables;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings the job needs: catalog {@code lake} (Iceberg, Hadoop catalog) over S3A, UTC,
 * few shuffle partitions for small micro-batches, quiet console. A {@code spark.*} key of the
 * user's own Spark conf ({@code --conf}, {@code --properties-file}, spark-defaults.conf:
 * spark-submit passes them as {@code -Dspark.*} system properties) wins over every value here, so
 * that S3A's endpoint, credential providers or anything else can be chosen without a code change.
 */
public final class SparkSessions {

  public static final String APP_NAME = "flowders-orders";
  private static final String CATALOG = "spark.sql.catalog." + IcebergTables.CATALOG;
  private static final String PROMETHEUS_SINK = "spark.metrics.conf.*.sink.prometheusServlet";

  private static final String EXECUTOR_CLASS_PATH = "spark.executor.extraClassPath";

  /** spark-submit sets it for every application it launches. */
  static final String SUBMIT_DEPLOY_MODE = "spark.submit.deployMode";

  private SparkSessions() {}

  public static SparkSession.Builder builder(JobConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(APP_NAME);
    Map<String, String> given = new HashMap<>();
    System.getProperties()
        .forEach(
            (key, value) -> {
              if (key instanceof String name && name.startsWith("spark.")) {
                given.put(name, String.valueOf(value));
              }
            });
    settings(config, given).forEach(builder::config);
    return builder;
  }

  /**
   * What the job sets over {@code given}, the user's own Spark conf: each of {@link
   * #settings(JobConfig)} that {@code given} lacks. A driver that spark-submit launched ships its
   * jar to the executors the Spark way ({@code spark.jars}), and gets no executor classpath.
   */
  static Map<String, String> settings(JobConfig config, Map<String, String> given) {
    Map<String, String> conf = new LinkedHashMap<>(settings(config));
    if (given.containsKey(SUBMIT_DEPLOY_MODE)) {
      conf.remove(EXECUTOR_CLASS_PATH);
    }
    conf.keySet().removeAll(given.keySet());
    return conf;
  }

  public static Map<String, String> settings(JobConfig config) {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", config.sparkMaster());
    conf.put("spark.sql.session.timeZone", "UTC");
    conf.put("spark.sql.shuffle.partitions", "4");
    conf.put("spark.ui.showConsoleProgress", "false");
    conf.put("spark.sql.inMemoryColumnarStorage.compressed", "false");
    conf.put("spark.ui.port", Integer.toString(config.sparkUiPort()));
    // Kill links are GET requests: any web page the user opens could otherwise stop the job.
    conf.put("spark.ui.killEnabled", "false");
    // Spark's own metrics in Prometheus' format on the app UI (README, "Metrics"): the driver's
    // and the query's (/metrics/prometheus) and the executors' (/metrics/executors/prometheus),
    // named by a fixed namespace instead of the application id, which changes at each start.
    conf.put("spark.ui.prometheus.enabled", "true");
    conf.put(PROMETHEUS_SINK + ".class", "org.apache.spark.metrics.sink.PrometheusServlet");
    conf.put(PROMETHEUS_SINK + ".path", "/metrics/prometheus");
    conf.put("spark.metrics.namespace", "flowders");
    conf.put("spark.sql.streaming.metricsEnabled", "true");
    conf.put(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    conf.put(CATALOG, "org.apache.iceberg.spark.SparkCatalog");
    conf.put(CATALOG + ".type", "hadoop");
    conf.put(CATALOG + ".warehouse", config.warehouse());
    // Each read sees the latest commit, whichever session or process made it (the streaming
    // query runs in a session of its own; verify and the SQL shell in other JVMs).
    conf.put(CATALOG + ".cache-enabled", "false");
    conf.put("spark.hadoop.fs.s3a.endpoint", config.s3Endpoint());
    conf.put("spark.hadoop.fs.s3a.endpoint.region", "us-east-1");
    conf.put("spark.hadoop.fs.s3a.path.style.access", "true");
    conf.put(
        "spark.hadoop.fs.s3a.connection.ssl.enabled",
        Boolean.toString(config.s3Endpoint().startsWith("https://")));
    // Keys when given (the local stack generates them); otherwise S3A's default providers (AWS_*
    // variables, instance or IRSA role), or whatever spark.hadoop.fs.s3a.* the user passes.
    if (!config.s3SecretKey().isBlank()) {
      conf.put("spark.hadoop.fs.s3a.access.key", config.s3AccessKey());
      conf.put("spark.hadoop.fs.s3a.secret.key", config.s3SecretKey());
      conf.put(
          "spark.hadoop.fs.s3a.aws.credentials.provider",
          "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    }
    if (config.sparkMaster().startsWith("spark://")) {
      conf.put("spark.executor.cores", "1");
      conf.put("spark.cores.max", Integer.toString(config.sparkExecutors()));
      conf.put("spark.executor.memory", config.sparkExecutorMemory());
      // A cluster started with spark.authenticate refuses an application without the secret. In
      // the conf, not a -D flag (ps shows command lines); Spark keeps it off the executors'
      // command lines and redacts it in the UI and logs (spark.redaction.regex).
      if (!config.sparkAuthSecret().isBlank()) {
        conf.put("spark.authenticate", "true");
        conf.put("spark.authenticate.secret", config.sparkAuthSecret());
      }
      String classPath = executorClassPath();
      if (classPath != null) {
        conf.put(EXECUTOR_CLASS_PATH, classPath);
      }
    }
    return conf;
  }

  /**
   * Executors on this host load the job from where the driver did (./flowders starts the driver
   * with plain java) (its jar or classes folder, plus the lib/ folder next to it) instead of
   * copying ~300 MB into each executor's folder.
   */
  static String executorClassPath() {
    try {
      Path code =
          Path.of(SparkSessions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path lib = code.getParent().resolve("lib");
      return Files.isDirectory(lib)
          ? code + File.pathSeparator + lib + File.separator + "*"
          : code.toString();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
