package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Spark driver for {@link SparkClusterIT}: counts a 4-partition range on the cluster, whose tasks
 * can only run in executors the workers launched. Reflection keeps Spark off this module's
 * classpath; the driver JVM gets SPARK_HOME/jars. It authenticates with FLOWDERS_SPARK_AUTH_SECRET
 * from its environment, as the job does, when that is not blank. Usage: {@code <master url> [hold
 * file]}: with a hold file, the application stays open after the count until that file exists, so a
 * test can look at it running.
 */
public final class SparkRangeCount {

  public static final String APP_NAME = "flowders-stack-it";

  private static final long HOLD_MILLIS = 120_000;

  private SparkRangeCount() {}

  public static void main(String[] args) throws Exception {
    Class<?> sessionType = Class.forName("org.apache.spark.sql.SparkSession");
    Object builder = sessionType.getMethod("builder").invoke(null);
    builder = call(builder, "master", args[0]);
    builder = call(builder, "appName", APP_NAME);
    String[][] settings = {
      {"spark.executor.cores", "1"},
      {"spark.cores.max", "2"},
      {"spark.executor.memory", "512m"},
      {"spark.driver.host", "127.0.0.1"},
      {"spark.ui.enabled", "false"}
    };
    for (String[] setting : settings) {
      builder = config(builder, setting[0], setting[1]);
    }
    String secret = System.getenv(FlowdersSettings.SPARK_AUTH_SECRET.name());
    if (secret != null && !secret.isBlank()) {
      builder = config(builder, "spark.authenticate", "true");
      builder = config(builder, "spark.authenticate.secret", secret);
    }
    Object spark = builder.getClass().getMethod("getOrCreate").invoke(builder);
    Object range =
        sessionType
            .getMethod("range", long.class, long.class, long.class, int.class)
            .invoke(spark, 0L, 1000L, 1L, 4);
    System.out.println("count=" + range.getClass().getMethod("count").invoke(range));
    if (args.length > 1) {
      hold(Path.of(args[1]));
    }
    sessionType.getMethod("stop").invoke(spark);
  }

  /** Until {@code file} exists, or {@link #HOLD_MILLIS} passed (a test that failed). */
  private static void hold(Path file) throws InterruptedException {
    long deadline = System.currentTimeMillis() + HOLD_MILLIS;
    while (!Files.exists(file) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
  }

  private static Object config(Object builder, String key, String value) throws Exception {
    return builder
        .getClass()
        .getMethod("config", String.class, String.class)
        .invoke(builder, key, value);
  }

  private static Object call(Object target, String method, String argument) throws Exception {
    return target.getClass().getMethod(method, String.class).invoke(target, argument);
  }
}
