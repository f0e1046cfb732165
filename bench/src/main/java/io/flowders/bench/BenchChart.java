package io.flowders.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * One PNG: throughput of each reader and writer (log scale) beside freshness percentiles per rate.
 */
final class BenchChart {

  private static final int WIDTH = 700;
  private static final int HEIGHT = 520;

  private BenchChart() {}

  /** {@code throughput}: label to orders/s; {@code freshness}: rate to p50/p95/p99 seconds. */
  static void write(
      Path png,
      String title,
      Map<String, Double> throughput,
      Map<Integer, double[]> freshness,
      double freshnessTarget)
      throws IOException {
    BufferedImage image = new BufferedImage(2 * WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    throughputChart(title, throughput).draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    freshnessChart(freshness, freshnessTarget)
        .draw(g, new Rectangle2D.Double(WIDTH, 0, WIDTH, HEIGHT));
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static JFreeChart throughputChart(String title, Map<String, Double> throughput) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    throughput.forEach((label, rate) -> data.addValue(rate, "orders/s", label));
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Throughput (median)",
            null,
            "orders/s",
            data,
            PlotOrientation.HORIZONTAL,
            false,
            false,
            false);
    chart.addSubtitle(new TextTitle(title));
    CategoryPlot plot = chart.getCategoryPlot();
    LogAxis axis = new LogAxis("orders/s, log scale");
    axis.setSmallestValue(1_000);
    axis.setUpperMargin(0.3);
    axis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));
    plot.setRangeAxis(axis);
    style(chart, plot, NumberFormat.getIntegerInstance(Locale.ROOT));
    return chart;
  }

  private static JFreeChart freshnessChart(Map<Integer, double[]> freshness, double target) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    String[] series = {"p50", "p95", "p99"};
    freshness.forEach(
        (rate, p) -> {
          for (int i = 0; i < series.length; i++) {
            data.addValue(p[i], series[i], String.format("%,d orders/s", rate));
          }
        });
    JFreeChart chart =
        ChartFactory.createBarChart(
            "Freshness: order to its row in Iceberg",
            null,
            "seconds",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    CategoryPlot plot = chart.getCategoryPlot();
    ValueMarker marker = new ValueMarker(target, Color.RED, new BasicStroke(2f));
    marker.setLabel(String.format("target p99 %.0f s", target));
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    plot.addRangeMarker(marker);
    style(chart, plot, new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)));
    return chart;
  }

  private static void style(JFreeChart chart, CategoryPlot plot, NumberFormat labels) {
    chart.setBackgroundPaint(Color.WHITE);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", labels));
    renderer.setDefaultItemLabelsVisible(true);
  }
}
