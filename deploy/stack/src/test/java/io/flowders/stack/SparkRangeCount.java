package io.flowders.stack;

/**
 * A Spark driver for {@link SparkClusterIT}: counts a 4-partition range on the cluster, whose tasks
 * can only run in executors the workers launched. Reflection keeps Spark off this module's
 * classpath; the driver JVM gets SPARK_HOME/jars. Usage: {@code <master url>}.
 */
public final class SparkRangeCount {

  private SparkRangeCount() {}

  public static void main(String[] args) throws Exception {
    Class<?> sessionType = Class.forName("org.apache.spark.sql.SparkSession");
    Object builder = sessionType.getMethod("builder").invoke(null);
    builder = call(builder, "master", args[0]);
    builder = call(builder, "appName", "flowders-stack-it");
    String[][] settings = {
      {"spark.executor.cores", "1"},
      {"spark.cores.max", "2"},
      {"spark.executor.memory", "512m"},
      {"spark.driver.host", "127.0.0.1"},
      {"spark.ui.enabled", "false"}
    };
    for (String[] setting : settings) {
      builder =
          builder
              .getClass()
              .getMethod("config", String.class, String.class)
              .invoke(builder, setting[0], setting[1]);
    }
    Object spark = builder.getClass().getMethod("getOrCreate").invoke(builder);
    Object range =
        sessionType
            .getMethod("range", long.class, long.class, long.class, int.class)
            .invoke(spark, 0L, 1000L, 1L, 4);
    System.out.println("count=" + range.getClass().getMethod("count").invoke(range));
    sessionType.getMethod("stop").invoke(spark);
  }

  private static Object call(Object target, String method, String argument) throws Exception {
    return target.getClass().getMethod(method, String.class).invoke(target, argument);
  }
}
