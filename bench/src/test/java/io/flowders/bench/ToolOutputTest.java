package io.flowders.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench reads numbers out of other programs' output: these pin the formats it relies on. */
class ToolOutputTest {

  @Test
  void producerPerformanceTakesTheFinalSummaryNotAProgressLine() {
    String output =
        """
        2561218 records sent, 512243.6 records/sec (56.35 MB/sec), 41.2 ms avg latency, 280.0 ms max latency.
        3000000 records sent, 548145.4 records/sec (60.30 MB/sec), 38.03 ms avg latency, 280.00 ms max latency, 30 ms 50th, 98 ms 95th, 160 ms 99th, 250 ms 99.9th.
        """;

    assertThat(KafkaTools.parseProducerPerformance(output)).isEqualTo(548145.4);
  }

  @Test
  void consumerPerformanceTakesFetchRateFromItsCsvLine() {
    String output =
        """
        start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        2026-11-27 02:31:05:123, 2026-11-27 02:31:08:456, 106.8, 32.0, 1000000, 300030.0, 1200, 2133, 50.07, 468823.2
        """;

    assertThat(KafkaTools.parseConsumerPerformance(output)).isEqualTo(468823.2);
    assertThatThrownBy(() -> KafkaTools.parseConsumerPerformance("WARN nothing"))
        .hasMessageContaining("no result");
  }

  @Test
  void sqlTableRowsWithoutHeaderOrBorders() {
    String output =
        """
        +-----+------+------+
        | rate|orders|p50_ms|
        +-----+------+------+
        |  100| 15000|  6512|
        |10000|1500000| 9100|
        +-----+------+------+
        (3.2 s)
        """;

    assertThat(SqlTable.rows(output))
        .containsExactly(List.of("100", "15000", "6512"), List.of("10000", "1500000", "9100"));
  }

  @Test
  void committedOrdersAreSummedFromTheJobLogAfterAnOffset(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("job.log");
    String before = "{\"report\":\"batch\",\"batch_id\":0,\"records\":7,\"accepted\":7}\n";
    Files.writeString(
        log,
        before
            + "02:30:05 INFO OrdersJob: starting\n"
            + "{\"report\":\"batch\",\"batch_id\":1,\"records\":1002,\"accepted\":1000}\n"
            + "-------------------------------------------\nBatch: 1\n"
            + "{\"report\":\"batch\",\"batch_id\":2,\"records\":20,\"accepted\":20}\n"
            + "{\"report\":\"stopped\",\"records\":1029}\n"
            + "{\"report\":\"batch\",\"batch_id\":3,\"acc");

    assertThat(FreshnessBench.committed(log, 0)).isEqualTo(1027);
    assertThat(FreshnessBench.committed(log, before.length())).isEqualTo(1020);
    assertThat(FreshnessBench.committed(dir.resolve("absent.log"), 0)).isZero();
  }

  @Test
  void latencyQueryBucketsOrdersByTheRateTheyWereSentAt() {
    Instant t = Instant.parse("2026-11-27T02:00:00Z");
    String sql =
        FreshnessBench.latencySql(
            List.of(
                new FreshnessBench.Phase(100, t, t.plusSeconds(60)),
                new FreshnessBench.Phase(1000, t.plusSeconds(90), t.plusSeconds(150))));

    assertThat(sql)
        .contains(
            "WHEN o.order_ts >= TIMESTAMP '2026-11-27T02:00:00Z' AND o.order_ts < TIMESTAMP '2026-11-27T02:01:00Z' THEN 100")
        .contains("THEN 1000 END")
        .contains("lake.flowders.customer_minute_totals.snapshots")
        .contains("percentile_approx(latency_ms, 0.99, 10000)");
  }
}
