package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.stack.Await;
import io.flowders.stack.FlowdersHome;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./flowders bench as a user runs it, scaled down (one run of each, a small backlog, two short
 * rates) on a stack of its own: every phase produces numbers, the JSON holds them, the PNG exists,
 * and nothing is left running.
 */
class BenchIT {

  private static final long ORDERS = 30_000;

  @Test
  void aSmallBenchMeasuresEveryPhaseAndWritesJsonAndChart(@TempDir Path out) throws Exception {
    Path log = out.resolve("bench.out");
    Process bench =
        new ProcessBuilder(
                FlowdersHome.root().resolve("flowders").toString(),
                "bench",
                "--repeats",
                "1",
                "--orders",
                Long.toString(ORDERS),
                "--producer-seconds",
                "3",
                "--rates",
                "50,200",
                "--rate-seconds",
                "35",
                "--warm-up-seconds",
                "5",
                "--output",
                out.toString())
            .directory(FlowdersHome.root().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean finished = bench.waitFor(25, TimeUnit.MINUTES);
    if (!finished) {
      bench.descendants().forEach(ProcessHandle::destroyForcibly);
      bench.destroyForcibly();
    }
    String output = Files.readString(log);
    assertThat(finished).as(output).isTrue();
    assertThat(bench.exitValue()).as(output).isZero();

    JsonNode result = new ObjectMapper().readTree(single(out, ".json").toFile());
    assertThat(result.path("complete").asBoolean()).as(output).isTrue();
    assertThat(result.path("versions").path("kafka").asText()).matches("4\\.1\\.\\d+");
    assertThat(result.at("/producer/quarkus_orders_per_s/median").asDouble()).isPositive();
    assertThat(result.at("/producer/producer_performance_records_per_s/median").asDouble())
        .isPositive();
    assertThat(result.at("/job/backlog_orders").asLong()).isGreaterThanOrEqualTo(ORDERS);
    for (String reader :
        List.of(
            JobBench.CONSUMER_PERFORMANCE,
            JobBench.PLAIN_CONSUMER,
            JobBench.KAFKA_STREAMS,
            JobBench.SPARK_AGGREGATION,
            JobBench.JOB_LOCAL,
            JobBench.JOB_CLUSTER)) {
      assertThat(
              result.path("job").path("readers").path(reader).at("/orders_per_s/median").asDouble())
          .as(reader)
          .isPositive();
    }
    JsonNode rates = result.at("/freshness/rates");
    assertThat(rates).hasSize(2);
    assertThat(rates.get(0).path("rate").asInt()).isEqualTo(50);
    assertThat(rates.get(0).path("orders").asLong()).isGreaterThan(500);
    assertThat(rates.get(1).path("orders").asLong()).isGreaterThan(2_000);
    for (JsonNode rate : rates) {
      assertThat(rate.path("p50").asDouble())
          .isPositive()
          .isLessThanOrEqualTo(rate.path("p99").asDouble());
    }
    assertThat(result.at("/footprint/totalRssBytes").asLong()).isGreaterThan(1L << 30);
    BufferedImage chart = ImageIO.read(single(out, ".png").toFile());
    assertThat(chart.getWidth()).isPositive();
    assertThat(output)
        .contains("Quarkus producer, max rate", "ConsumerPerformance", "freshness (trigger");
    Await.until(
        "the bench's processes to be gone",
        Duration.ofSeconds(60),
        () -> benchProcesses().isEmpty());
  }

  /** The bench keeps its stack's data in a flowders-bench* temporary folder. */
  private static List<String> benchProcesses() {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(c -> c.contains("flowders-bench") && !c.contains("BenchIT"))
        .toList();
  }

  private static Path single(Path dir, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> found = files.filter(f -> f.toString().endsWith(suffix)).toList();
      assertThat(found).hasSize(1);
      return found.get(0);
    }
  }
}
