package io.flowders.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's reports for programs (the bench, tests, log shippers), so that none of them has to
 * match sentences: one JSON object per line on the logger {@value #LOGGER}, which {@code
 * log4j2.properties} prints bare (no time or level) to stderr among the human-readable lines. Each
 * object says what it reports in {@value #KIND}: {@value #BATCH} for each micro-batch written (see
 * {@link BatchReport}), {@value #STOPPING} when a signal asks the job to stop (it lets the running
 * micro-batch finish), {@value #STOPPED} once when the query has ended.
 */
public final class ReportLog {

  public static final String LOGGER = "flowders.report";
  public static final String KIND = "report";
  public static final String BATCH = "batch";
  public static final String STOPPING = "stopping";
  public static final String STOPPED = "stopped";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportLog() {}

  static void batch(BatchReport report) {
    LOG.info("{}", report.toJson());
  }

  /** {@code {"report":"stopping","grace_ms":..}}: the most the running micro-batch is given. */
  public static void stopping(Duration grace) {
    LOG.info("{}", report(STOPPING).put("grace_ms", grace.toMillis()));
  }

  /**
   * {@code
   * {"report":"stopped","records":..,"took_ms":..,"records_per_second":..,"cpu_seconds":..}}: the
   * records the query read over its run, and the CPU the JVM used since it started (what the job
   * costs even when other processes share the cores; null where the JVM cannot tell).
   */
  public static void stopped(long records, Duration took, double cpuSeconds) {
    LOG.info("{}", stoppedReport(records, took, cpuSeconds));
  }

  static ObjectNode stoppedReport(long records, Duration took, double cpuSeconds) {
    ObjectNode json = report(STOPPED);
    json.put("records", records);
    json.put("took_ms", took.toMillis());
    json.put("records_per_second", Math.round(records * 1000.0 / Math.max(took.toMillis(), 1)));
    if (Double.isFinite(cpuSeconds)) {
      json.put("cpu_seconds", Math.round(cpuSeconds * 10) / 10.0);
    } else {
      json.putNull("cpu_seconds");
    }
    return json;
  }

  /**
   * The reports in {@code log}'s complete lines, in order (a line still being written is left for
   * the next read); every other line is passed over.
   */
  public static List<JsonNode> read(String log) {
    return log.substring(0, log.lastIndexOf('\n') + 1)
        .lines()
        .filter(line -> line.startsWith("{\"" + KIND + "\":"))
        .map(ReportLog::parse)
        .toList();
  }

  static ObjectNode report(String kind) {
    return JSON.createObjectNode().put(KIND, kind);
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a report: " + line, e);
    }
  }
}
