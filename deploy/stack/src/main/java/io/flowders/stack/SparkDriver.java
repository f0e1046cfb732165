package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A JVM running one of the streaming job's mains as a Spark driver, started with plain java as
 * spark-submit would: SPARK_HOME's jars, then {@code streaming-job/target/lib} (what Spark lacks:
 * Kafka connector, Iceberg, S3A), then the job's jar, and Spark's Java 17 flags. The job tells its
 * executors to load the same jar and lib folder from disk, so nothing is copied to them.
 */
public final class SparkDriver {

  public static final String JOB_MAIN = "io.flowders.job.OrdersJob";
  public static final String SQL_MAIN = "io.flowders.sql.SqlShell";
  public static final String VERIFY_MAIN = "io.flowders.verify.Verify";

  /** sql and verify run next to the job, which holds the cluster's cores: in local mode. */
  public static final String LOCAL_MASTER = "local[2]";

  /**
   * What a driver JVM on Java 17 needs, one flag a line (Spark's JavaModuleOptions, which
   * spark-submit adds; the job's tests check the file against them): without them it fails with
   * IllegalAccessError on sun.nio.ch. Executors get them from the worker.
   */
  public static final String JAVA_OPTIONS_FILE = "streaming-job/src/main/jvm/add-opens.txt";

  private SparkDriver() {}

  /**
   * A driver of {@code mainClass} on {@code master}, with the stack's settings as its environment.
   */
  public static JvmProcess.Builder builder(
      StackLayout layout, String mainClass, String master, String heap) {
    Path module = layout.home().resolve("streaming-job/target");
    JvmProcess.Builder builder =
        JvmProcess.builder(mainClass)
            .classpath(
                Runtimes.sparkHome().resolve("jars").resolve("*").toString(),
                module.resolve("lib").resolve("*").toString(),
                jobJar(module).toString())
            .heap(heap)
            .jvmArgs(javaOptions(layout.home()).toArray(String[]::new));
    layout.config().asMap().forEach(builder::env);
    return builder
        .env(StackConfig.SPARK_MASTER, master)
        .env(FlowdersHome.ENV, layout.home().toString())
        .env("SPARK_LOCAL_IP", "127.0.0.1");
  }

  /** The flags of {@link #JAVA_OPTIONS_FILE} in the repository at {@code home}. */
  public static List<String> javaOptions(Path home) {
    Path file = home.resolve(JAVA_OPTIONS_FILE);
    try {
      return Files.readAllLines(file).stream()
          .map(String::strip)
          .filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read Spark's Java flags from " + file, e);
    }
  }

  static Path jobJar(Path target) {
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().matches("flowders-streaming-job-.*\\.jar"))
          .filter(f -> !f.getFileName().toString().matches(".*-(sources|tests|javadoc)\\.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException("No job jar in " + target + ": run ./flowders build"));
    } catch (IOException e) {
      throw new UncheckedIOException("No " + target + ": run ./flowders build", e);
    }
  }

  /** sql and verify: short-lived, no UI, C1 only (they are done before C2 would pay off). */
  public static List<String> localSettings() {
    return List.of("-Dspark.ui.enabled=false", LocalStack.SHORT_LIVED_JIT);
  }
}
