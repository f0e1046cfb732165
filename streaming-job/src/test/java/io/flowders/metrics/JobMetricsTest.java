package io.flowders.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.sink.BatchMarker;
import io.flowders.sink.BatchReport;
import io.flowders.stack.JobStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final TestClock clock = new TestClock();
  private final AtomicReference<Instant> newest = new AtomicReference<>();
  private final JobMetrics metrics = new JobMetrics(clock, newest::get);

  @Test
  void countersAreTheSumsOfTheBatchReports() {
    metrics.record(
        report(
            100, 90, 6, 4, Map.of("amount must be > 0", 3L, "not valid JSON", 1L), 2, 1500, 900));
    metrics.record(report(50, 49, 0, 1, Map.of("amount must be > 0", 1L), 0, 700, 300));

    String text = metrics.render();

    assertThat(text)
        .contains(
            "flowders_job_batches_total 2\n",
            "flowders_job_records_total 150\n",
            "flowders_job_orders_accepted_total 139\n",
            "flowders_job_orders_duplicates_total 6\n",
            "flowders_job_orders_rejected_total{reason=\"amount must be > 0\"} 4\n",
            "flowders_job_orders_rejected_total{reason=\"not valid JSON\"} 1\n",
            "flowders_job_orders_late_total 2\n",
            "flowders_job_batch_seconds_total 2.2\n",
            "flowders_job_batch_step_seconds_total{step=\"read\"} 1.2\n",
            "flowders_job_batch_step_seconds_total{step=\"orders\"} 1\n",
            "flowders_job_last_batch_seconds 0.7\n",
            "flowders_job_last_batch_step_seconds{step=\"read\"} 0.3\n",
            "flowders_job_last_batch_records 50\n",
            "flowders_job_last_batch_end_time_seconds 1796119200\n");
  }

  @Test
  void freshnessIsNowMinusTheNewestCommittedEventTimeWhenScraped() {
    assertThat(metrics.render()).doesNotContain("\nflowders_job_freshness_seconds ");

    newest.set(T0.minusMillis(4500));
    assertThat(metrics.render())
        .contains("flowders_job_freshness_seconds 4.5\n")
        .contains("flowders_job_newest_event_time_seconds 1796119195.5\n");

    clock.now = T0.plusSeconds(60);
    assertThat(metrics.render()).contains("flowders_job_freshness_seconds 64.5\n");
  }

  @Test
  void lagIsPerPartitionFromTheLastProgressThatReportedOffsets() {
    metrics.offsets("{\"orders\":{\"1\":90,\"0\":100}}", "{\"orders\":{\"0\":100,\"1\":130}}");
    clock.now = T0.plusSeconds(10);
    metrics.offsets(null, null);

    assertThat(metrics.render())
        .contains(
            "flowders_job_kafka_lag_records{topic=\"orders\",partition=\"0\"} 0\n"
                + "flowders_job_kafka_lag_records{topic=\"orders\",partition=\"1\"} 40\n")
        .contains("flowders_job_kafka_lag_observed_time_seconds 1796119200\n");
  }

  @Test
  void everyFamilyHasHelpAndTypeThenOnlyItsOwnSamples() {
    metrics.record(report(10, 10, 0, 0, Map.of(), 0, 100, 50));
    metrics.offsets("{\"orders\":{\"0\":1}}", "{\"orders\":{\"0\":2}}");
    newest.set(T0);

    String family = null;
    for (String line : metrics.render().lines().toList()) {
      if (line.startsWith("# HELP ")) {
        family = line.split(" ")[2];
        assertThat(family).startsWith("flowders_job_");
      } else if (line.startsWith("# TYPE ")) {
        assertThat(line).matches("# TYPE " + family + " (counter|gauge)");
        if (line.endsWith("counter")) {
          assertThat(family).endsWith("_total");
        }
      } else {
        assertThat(line)
            .matches(family + "(\\{[a-z]+=\"[^\"]*\"(,[a-z]+=\"[^\"]*\")*\\})? -?[0-9.]+");
      }
    }
  }

  @Test
  void theNamesFlowdersStatusReadsAreTheOnesTheJobWrites() {
    String text = metrics.render();

    assertThat(
            List.of(
                JobStatus.LAST_BATCH_END,
                JobStatus.LAST_BATCH_RECORDS,
                JobStatus.FRESHNESS,
                JobStatus.LAG,
                JobStatus.START_TIME))
        .allSatisfy(name -> assertThat(text).contains("# TYPE " + name + " gauge\n"));
  }

  private static BatchReport report(
      long records,
      long accepted,
      long duplicates,
      long rejected,
      Map<String, Long> byRule,
      long late,
      long tookMs,
      long readMs) {
    Map<String, Duration> steps = new LinkedHashMap<>();
    steps.put("read", Duration.ofMillis(readMs));
    steps.put("orders", Duration.ofMillis(tookMs - readMs));
    return new BatchReport(
        1,
        List.of(new BatchMarker.PartitionRange("orders", 0, 0, records - 1, records)),
        records,
        accepted,
        duplicates,
        rejected,
        byRule,
        late,
        1,
        T0,
        Duration.ofMillis(tookMs),
        steps,
        T0,
        T0);
  }
}
