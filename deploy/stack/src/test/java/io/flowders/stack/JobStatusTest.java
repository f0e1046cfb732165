package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class JobStatusTest {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final Instant NOW = Instant.parse("2026-12-01T23:40:19.500Z");

  @Test
  void theJobsLineHasTheLastBatchTheLagSummedOverPartitionsAndTheFreshness() {
    String metrics =
        """
        # HELP flowders_job_last_batch_records Kafka records in the last micro-batch.
        # TYPE flowders_job_last_batch_records gauge
        flowders_job_last_batch_records 1512
        # TYPE flowders_job_last_batch_end_time_seconds gauge
        flowders_job_last_batch_end_time_seconds 1796168412.25
        flowders_job_freshness_seconds 9.84
        flowders_job_kafka_lag_records{topic="orders",partition="0"} 30
        flowders_job_kafka_lag_records{topic="orders",partition="1"} 4
        flowders_job_kafka_lag_records{topic="orders",partition="2"} 0
        """;

    assertThat(JobStatus.describe(JobStatus.samples(metrics), NOW, TIME))
        .isEqualTo(
            "last batch 2026-12-01 23:40:12 (7 s ago), 1,512 records; lag 34 records behind the"
                + " topic end (3 partitions); freshness 9.8 s");
  }

  @Test
  void beforeTheFirstBatchTheLineSaysSoInsteadOfInventingFigures() {
    String metrics = "flowders_job_start_time_seconds 1796168400\n";

    assertThat(JobStatus.describe(JobStatus.samples(metrics), NOW, TIME))
        .isEqualTo(
            "no batch written yet since the job started 2026-12-01 23:40:00; lag not reported"
                + " yet; freshness none (no order counted yet)");
  }

  @Test
  void aJobThatDoesNotAnswerIsReportedNotFailed() {
    String line = JobStatus.job("http://127.0.0.1:" + Ports.free() + "/metrics", NOW, TIME);

    assertThat(line).startsWith("no metrics from http://127.0.0.1:").endsWith("starting?");
  }

  @Test
  void theProducersLineHasItsRateAndOutcomes() {
    assertThat(JobStatus.producer(new Producer.Stats(12_400, 12_345, 3, 50, 52)))
        .isEqualTo("rate 50 orders/s; 12,345 acknowledged, 3 failed, 52 in flight");
    assertThat(JobStatus.producer(new Producer.Stats(0, 0, 0, -1, 0))).startsWith("rate max;");
  }
}
