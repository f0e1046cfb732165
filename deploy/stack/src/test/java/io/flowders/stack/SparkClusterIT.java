package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterIT {

  static SparkCluster spark;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    spark = SparkCluster.builder().freePorts().build().start();
    System.out.printf(
        "SparkCluster: master and 2 workers ALIVE in %.1f s%n",
        (System.nanoTime() - started) / 1e9);
  }

  @AfterAll
  static void stop() {
    spark.close();
  }

  @Test
  @Order(1)
  void masterReportsTwoAliveWorkers() {
    assertThat(spark.aliveWorkers()).isEqualTo(2);
    assertThat(spark.masterUrl()).startsWith("spark://127.0.0.1:");
    assertThat(spark.workerUiUrls()).hasSize(2);
  }

  @Test
  @Order(2)
  void workersLaunchExecutorsThatRunADriversTasks() {
    long started = System.nanoTime();
    JvmProcess.Result driver =
        JvmProcess.builder(SparkRangeCount.class.getName())
            .classpath(
                spark.sparkHome().resolve("conf").toString(),
                spark.sparkHome().resolve("jars/*").toString(),
                JvmProcessIT.location(SparkRangeCount.class))
            .heap("512m")
            .jvmArgs(SparkDriver.javaOptions(FlowdersHome.root()).toArray(String[]::new))
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .args(spark.masterUrl())
            .run(Duration.ofMinutes(4));
    System.out.printf(
        "SparkCluster: a 4-task job on 2 executors took %.1f s%n",
        (System.nanoTime() - started) / 1e9);

    assertThat(driver.orThrow("driver").stdout()).contains("count=1000");
  }

  @Test
  @Order(3)
  void closeLeavesNoProcess() {
    List<Long> pids = spark.pids();

    spark.close();

    assertThat(pids)
        .hasSize(3)
        .allSatisfy(
            pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
  }
}
