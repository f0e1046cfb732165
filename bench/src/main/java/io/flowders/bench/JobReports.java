package io.flowders.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * The job's reports, read from its log: one JSON object per line, {@code {"report":"batch",...}}
 * for each micro-batch and {@code {"report":"stopped",...}} when its query ends (written by the
 * job's {@code io.flowders.sink.ReportLog}, whose tests pin the fields read here).
 */
final class JobReports {

  static final String BATCH = "batch";
  static final String STOPPED = "stopped";
  private static final String KIND = "report";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JobReports() {}

  /**
   * The reports of one kind in {@code log}'s complete lines, in order: a line still being written
   * is left for the next read, and every other line is passed over.
   */
  static List<JsonNode> of(String kind, String log) {
    return log.substring(0, log.lastIndexOf('\n') + 1)
        .lines()
        .filter(line -> line.startsWith("{\"" + KIND + "\":"))
        .map(JobReports::parse)
        .filter(report -> kind.equals(report.path(KIND).asText()))
        .toList();
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the job wrote a report that is not JSON: " + line, e);
    }
  }
}
