package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartTest {

  @Test
  void writesOnePngWithBothCharts(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("chart.png");

    BenchChart.write(png, "test", Map.of("Quarkus producer", 450_000.0, "job --once local[2]", 12_000.0),
        Map.of(100, new double[] {6, 9, 10}, 10_000, new double[] {8, 12, 14}), 15);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1400);
    assertThat(image.getHeight()).isEqualTo(520);
  }
}
