package io.flowders.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The job's and the producer's work as {@code ./flowders status} prints it: for the job, from its
 * Prometheus endpoint ({@link StackLayout#jobMetricsUrl}), the last batch's time and size, the lag
 * and the freshness; for the producer, from {@code GET /orders/stats}, its rate and outcomes. The
 * metric names are the job's ({@code io.flowders.metrics.JobMetrics}; its tests pin that they
 * agree).
 */
public final class JobStatus {

  public static final String LAST_BATCH_END = "flowders_job_last_batch_end_time_seconds";
  public static final String LAST_BATCH_RECORDS = "flowders_job_last_batch_records";
  public static final String FRESHNESS = "flowders_job_freshness_seconds";
  public static final String LAG = "flowders_job_kafka_lag_records";
  public static final String START_TIME = "flowders_job_start_time_seconds";

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private JobStatus() {}

  /** The job's line: what its endpoint says, or why it says nothing. */
  static String job(String metricsUrl, Instant now, DateTimeFormatter time) {
    String text;
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return "metrics " + metricsUrl + " answer HTTP " + response.statusCode();
      }
      text = response.body();
    } catch (IOException e) {
      return "no metrics from " + metricsUrl + " (" + e.getClass().getSimpleName() + "): starting?";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    return describe(samples(text), now, time);
  }

  /** The samples of a Prometheus text: name with its labels as written, and value. */
  static Map<String, Double> samples(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    text.lines()
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .forEach(
            line -> {
              int space = line.lastIndexOf(' ');
              if (space > 0) {
                try {
                  samples.put(
                      line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
                } catch (NumberFormatException e) {
                  // A value that is not a number says nothing a status line needs.
                }
              }
            });
    return samples;
  }

  /**
   * "last batch 2026-12-01 23:40:12 (7 s ago), 512 records; lag 34 records behind the topic end;
   * freshness 9.8 s".
   */
  static String describe(Map<String, Double> samples, Instant now, DateTimeFormatter time) {
    StringBuilder line = new StringBuilder();
    Double end = samples.get(LAST_BATCH_END);
    if (end == null) {
      Double start = samples.get(START_TIME);
      line.append("no batch written yet")
          .append(start == null ? "" : " since the job started " + time.format(instant(start)));
    } else {
      line.append("last batch ")
          .append(time.format(instant(end)))
          .append(" (")
          .append(Math.max(0, Duration.between(instant(end), now).toSeconds()))
          .append(" s ago), ")
          .append(count(samples.getOrDefault(LAST_BATCH_RECORDS, 0.0)))
          .append(" records");
    }
    long lag = 0;
    int partitions = 0;
    for (Map.Entry<String, Double> sample : samples.entrySet()) {
      if (sample.getKey().startsWith(LAG + "{")) {
        lag += sample.getValue().longValue();
        partitions++;
      }
    }
    line.append("; lag ")
        .append(
            partitions == 0
                ? "not reported yet"
                : count(lag) + " records behind the topic end (" + partitions + " partitions)");
    Double freshness = samples.get(FRESHNESS);
    line.append("; freshness ")
        .append(
            freshness == null
                ? "none (no order counted yet)"
                : String.format(Locale.ROOT, "%.1f s", freshness));
    return line.toString();
  }

  /** The producer's line from its stats: "rate 50 orders/s; 1,234 acknowledged, 0 failed". */
  static String producer(Producer.Stats stats) {
    return "rate "
        + (stats.rate() < 0
            ? "max"
            : String.format(Locale.ROOT, "%s orders/s", count(stats.rate())))
        + "; "
        + count(stats.acknowledged())
        + " acknowledged, "
        + count(stats.failed())
        + " failed, "
        + count(stats.inFlight())
        + " in flight";
  }

  private static Instant instant(double epochSeconds) {
    return Instant.ofEpochMilli(Math.round(epochSeconds * 1000));
  }

  private static String count(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%,d", (long) value)
        : String.format(Locale.ROOT, "%,.1f", value);
  }
}
