package io.flowders.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The batch report's JSON line: what the bench and the tests read from the job's log. */
class ReportLogTest {

  @Test
  void aBatchReportIsOneJsonLineWithEveryFigure() {
    Map<String, Duration> steps = new LinkedHashMap<>();
    steps.put("read", Duration.ofMillis(1200));
    steps.put("orders", Duration.ofMillis(800));
    BatchReport report =
        new BatchReport(
            7,
            List.of(new BatchMarker.PartitionRange("orders", 3, 100, 199, 100)),
            100,
            95,
            3,
            2,
            Map.of("amount must be > 0", 2L),
            1,
            4,
            Instant.parse("2025-09-22T19:27:05.425770Z"),
            Duration.ofMillis(2100),
            steps,
            Instant.parse("2025-09-22T19:27:10Z"),
            null);

    String json = report.toJson().toString();
    List<JsonNode> read =
        ReportLog.read("02:30:01 INFO BatchWriter: something\n" + json + "\n{\"report\":\"ba");

    assertThat(json).doesNotContain("\n");
    assertThat(read).hasSize(1);
    JsonNode batch = read.get(0);
    assertThat(batch.get(ReportLog.KIND).asText()).isEqualTo(ReportLog.BATCH);
    assertThat(batch.get("batch_id").asLong()).isEqualTo(7);
    assertThat(batch.get("records").asLong()).isEqualTo(100);
    assertThat(batch.get("accepted").asLong()).isEqualTo(95);
    assertThat(batch.get("duplicates").asLong()).isEqualTo(3);
    assertThat(batch.get("rejected").asLong()).isEqualTo(2);
    assertThat(batch.get("rejected_by_rule").get("amount must be > 0").asLong()).isEqualTo(2);
    assertThat(batch.get("late").asLong()).isEqualTo(1);
    assertThat(batch.get("windows_updated").asLong()).isEqualTo(4);
    assertThat(batch.get("newest_event_time").asText()).isEqualTo("2025-09-22T19:27:05.425770Z");
    assertThat(batch.get("kafka").get(0).get("partition").asInt()).isEqualTo(3);
    assertThat(batch.get("kafka").get(0).get("first_offset").asLong()).isEqualTo(100);
    assertThat(batch.get("kafka").get(0).get("last_offset").asLong()).isEqualTo(199);
    assertThat(batch.get("took_ms").asLong()).isEqualTo(2100);
    assertThat(batch.get("steps_ms").get("read").asLong()).isEqualTo(1200);
    assertThat(batch.get("orders_committed_at").asText()).isEqualTo("2025-09-22T19:27:10Z");
    assertThat(batch.get("totals_committed_at").isNull()).isTrue();
  }

  @Test
  void theStopReportSaysHowManyRecordsInHowLong() {
    JsonNode stopped =
        ReportLog.read(ReportLog.stoppedReport(5000, Duration.ofMillis(2500), 12.34) + "\n").get(0);

    assertThat(stopped.get(ReportLog.KIND).asText()).isEqualTo(ReportLog.STOPPED);
    assertThat(stopped.get("records").asLong()).isEqualTo(5000);
    assertThat(stopped.get("took_ms").asLong()).isEqualTo(2500);
    assertThat(stopped.get("records_per_second").asLong()).isEqualTo(2000);
    assertThat(stopped.get("cpu_seconds").asDouble()).isEqualTo(12.3);
    assertThat(ReportLog.stoppedReport(1, Duration.ZERO, Double.NaN).get("cpu_seconds").isNull())
        .isTrue();
  }
}
