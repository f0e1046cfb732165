package io.flowders.job;

import io.flowders.stack.JvmProcess;
import io.flowders.stack.Runtimes;
import java.nio.file.Path;
import java.util.Map;

/**
 * The driver launched as ./flowders does: SPARK_HOME's jars + target/lib + the job's jar on the
 * classpath, Spark's JVM flags from src/main/jvm/add-opens.txt. The paths come from failsafe's
 * system properties, or else from this module's target folder.
 */
final class JobProcess {

  private JobProcess() {}

  static JvmProcess.Builder builder(Map<String, String> env, String... args) {
    JvmProcess.Builder builder =
        JvmProcess.builder(OrdersJob.class.getName())
            .name("orders-job")
            .classpath(
                Runtimes.sparkHome().resolve("jars") + "/*",
                property("flowders.job.lib", "target/lib") + "/*",
                property("flowders.job.jar", "target/flowders-streaming-job-0.1.0-SNAPSHOT.jar"))
            .jvmArgs(
                "@" + property("flowders.job.jvm-args", "src/main/jvm/add-opens.txt"),
                "-Dspark.ui.enabled=false")
            .heap("1g")
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .args(args);
    env.forEach(builder::env);
    return builder;
  }

  private static String property(String name, String fallback) {
    return System.getProperty(name, Path.of(fallback).toAbsolutePath().toString());
  }
}
