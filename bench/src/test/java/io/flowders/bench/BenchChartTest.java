package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartTest {

  @Test
  void writesOnePngWithBothCharts(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("chart.png");

    BenchChart.write(
        png,
        "test",
        Map.of("Quarkus producer", 450_000.0, "job --once local[2]", 12_000.0),
        Map.of(100, new double[] {6, 9, 10}, 10_000, new double[] {8, 12, 14}),
        15);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    assertThat(image.getHeight()).isEqualTo(520);
  }

  @Test
  void redrawsTheChartOfAResultsFile(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("20261127-025822-vm.json");
    Files.writeString(
        json,
        """
        {"host":"vm","started":"2026-11-27T02:58:22Z",
         "producer":{"quarkus_orders_per_s":{"median":357310.0},"producer_performance_records_per_s":{"median":307654.0}},
         "job":{"readers":{"ConsumerPerformance":{"orders_per_s":{"median":1157091.0}}}},
         "freshness":{"rates":[{"rate":100,"orders":15000,"p50":9.6,"p95":14.7,"p99":16.9}],"target_p99_s":15.0}}
        """);

    BenchReport.redraw(json, dir.resolve("20261127-025822-vm.png"));

    assertThat(ImageIO.read(dir.resolve("20261127-025822-vm.png").toFile()).getWidth())
        .isEqualTo(1400);
  }
}
