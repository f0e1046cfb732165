package io.flowders.metrics;

import io.flowders.sink.BatchReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * flowders' own metrics of the job, in Prometheus' text format: counters summed from the {@link
 * BatchReport}s the job writes anyway (nothing is counted twice or apart from them), the last
 * batch, lag per Kafka partition from the query's progress ({@link KafkaLag}) and freshness, which
 * is computed when scraped. They live as long as the driver: a restarted job starts its counters at
 * 0 again, which Prometheus' {@code rate()} and {@code increase()} take as a reset; {@value
 * #START_TIME} says when.
 */
public final class JobMetrics {

  static final String PREFIX = "flowders_job_";
  static final String START_TIME = PREFIX + "start_time_seconds";
  public static final String ACCEPTED = PREFIX + "orders_accepted_total";
  public static final String REJECTED = PREFIX + "orders_rejected_total";
  public static final String DUPLICATES = PREFIX + "orders_duplicates_total";
  public static final String LATE = PREFIX + "orders_late_total";
  public static final String RECORDS = PREFIX + "records_total";
  public static final String BATCHES = PREFIX + "batches_total";
  public static final String BATCH_SECONDS = PREFIX + "batch_seconds_total";
  public static final String STEP_SECONDS = PREFIX + "batch_step_seconds_total";
  public static final String LAST_BATCH_SECONDS = PREFIX + "last_batch_seconds";
  public static final String LAST_BATCH_STEP_SECONDS = PREFIX + "last_batch_step_seconds";
  public static final String LAST_BATCH_RECORDS = PREFIX + "last_batch_records";
  public static final String LAST_BATCH_END = PREFIX + "last_batch_end_time_seconds";
  public static final String NEWEST_EVENT = PREFIX + "newest_event_time_seconds";
  public static final String FRESHNESS = PREFIX + "freshness_seconds";
  public static final String LAG = PREFIX + "kafka_lag_records";
  public static final String LAG_OBSERVED = PREFIX + "kafka_lag_observed_time_seconds";

  private final Clock clock;
  private final Supplier<Instant> newestEventTime;
  private final Instant started;

  private long batches;
  private long records;
  private long accepted;
  private long duplicates;
  private long late;
  private final Map<String, Long> rejectedByRule = new TreeMap<>();
  private double batchSeconds;
  private final Map<String, Double> stepSeconds = new LinkedHashMap<>();
  private BatchReport last;
  private Instant lastEnd;
  private Map<KafkaLag.Partition, Long> lag = Map.of();
  private Instant lagObserved;

  /**
   * @param newestEventTime the latest event time counted and committed, this run or before (null:
   *     none yet): the base of freshness
   */
  public JobMetrics(Clock clock, Supplier<Instant> newestEventTime) {
    this.clock = clock;
    this.newestEventTime = newestEventTime;
    this.started = clock.instant();
  }

  /** Adds a written batch. */
  public synchronized void record(BatchReport report) {
    batches++;
    records += report.records();
    accepted += report.accepted();
    duplicates += report.duplicates();
    late += report.late();
    report.rejectedByRule().forEach((rule, count) -> rejectedByRule.merge(rule, count, Long::sum));
    batchSeconds += seconds(report.took());
    report.steps().forEach((step, took) -> stepSeconds.merge(step, seconds(took), Double::sum));
    last = report;
    lastEnd = clock.instant();
  }

  /** The Kafka source's offsets in a query progress (see {@link KafkaLag#of}). */
  public synchronized void offsets(String endOffset, String latestOffset) {
    Map<KafkaLag.Partition, Long> now = KafkaLag.of(endOffset, latestOffset);
    if (!now.isEmpty()) {
      lag = now;
      lagObserved = clock.instant();
    }
  }

  /** The metrics now, in the text format 0.0.4. */
  public synchronized String render() {
    Instant now = clock.instant();
    PrometheusText text = new PrometheusText();
    text.family(START_TIME, "gauge", "When this driver started; the counters count from then.")
        .sample(START_TIME, epochSeconds(started));
    counter(text, BATCHES, "Micro-batches written (those with records).", batches);
    counter(text, RECORDS, "Kafka records read: accepted + duplicates + rejected.", records);
    counter(text, ACCEPTED, "Orders counted into the totals.", accepted);
    counter(text, DUPLICATES, "Exact re-sends of an order already counted, dropped.", duplicates);
    text.family(
        REJECTED,
        "counter",
        "Records quarantined in rejected_orders, by the rule broken (the reason's leading words).");
    rejectedByRule.forEach((rule, count) -> text.sample(REJECTED, Map.of("reason", rule), count));
    counter(
        text,
        LATE,
        "Orders older than the watermark, counted all the same (their windows reopened).",
        late);
    counter(text, BATCH_SECONDS, "Time spent writing micro-batches.", batchSeconds);
    text.family(
        STEP_SECONDS,
        "counter",
        "Time spent in each step of the micro-batches (read, rejects, orders, totals).");
    stepSeconds.forEach((step, s) -> text.sample(STEP_SECONDS, Map.of("step", step), s));
    text.family(LAST_BATCH_SECONDS, "gauge", "How long the last micro-batch took.");
    if (last != null) {
      text.sample(LAST_BATCH_SECONDS, seconds(last.took()));
    }
    text.family(LAST_BATCH_STEP_SECONDS, "gauge", "The last micro-batch's time per step.");
    if (last != null) {
      last.steps()
          .forEach(
              (step, took) ->
                  text.sample(LAST_BATCH_STEP_SECONDS, Map.of("step", step), seconds(took)));
    }
    text.family(LAST_BATCH_RECORDS, "gauge", "Kafka records in the last micro-batch.");
    if (last != null) {
      text.sample(LAST_BATCH_RECORDS, last.records());
    }
    text.family(LAST_BATCH_END, "gauge", "When the last micro-batch was written (Unix time).");
    if (last != null) {
      text.sample(LAST_BATCH_END, epochSeconds(lastEnd));
    }
    Instant newest = newestEventTime.get();
    text.family(NEWEST_EVENT, "gauge", "The latest event time counted and committed (Unix time).");
    if (newest != null) {
      text.sample(NEWEST_EVENT, epochSeconds(newest));
    }
    text.family(
        FRESHNESS, "gauge", "Seconds from the latest event time committed to now (when scraped).");
    if (newest != null) {
      text.sample(FRESHNESS, Math.max(0, Duration.between(newest, now).toMillis() / 1000.0));
    }
    text.family(
        LAG,
        "gauge",
        "Records behind the partition's end, as of the query's last progress report.");
    lag.forEach(
        (partition, records) -> {
          Map<String, String> labels = new LinkedHashMap<>();
          labels.put("topic", partition.topic());
          labels.put("partition", Integer.toString(partition.partition()));
          text.sample(LAG, labels, records);
        });
    text.family(LAG_OBSERVED, "gauge", "When the lag was last reported (Unix time).");
    if (lagObserved != null) {
      text.sample(LAG_OBSERVED, epochSeconds(lagObserved));
    }
    return text.toString();
  }

  private static void counter(PrometheusText text, String name, String help, double value) {
    text.family(name, "counter", help).sample(name, value);
  }

  private static double seconds(Duration duration) {
    return duration.toNanos() / 1e9;
  }

  /** Milliseconds are enough, and keep the number exact in a double. */
  private static double epochSeconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
