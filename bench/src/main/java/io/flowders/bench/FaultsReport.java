package io.flowders.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** The results of {@code ./flowders faults}: a table for people, a JSON file for programs. */
final class FaultsReport {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String ROW = "%-16s %9s %7s %9s %9s %8s %10s %6s %7s %9s %-7s %s%n";

  private FaultsReport() {}

  static String table(List<FaultResult> results, double freshnessTargetSeconds) {
    StringBuilder text = new StringBuilder();
    text.append(
        String.format(
            ROW,
            "scenario",
            "acked",
            "failed",
            "in topic",
            "counted",
            "rejected",
            "duplicates",
            "lost",
            "doubled",
            "recovery",
            "verify",
            "result"));
    for (FaultResult r : results) {
      text.append(
          String.format(
              ROW,
              r.scenario().id(),
              r.acknowledged(),
              r.failed(),
              r.records(),
              r.counted(),
              r.rejected(),
              r.duplicates(),
              r.lost(),
              r.doubled(),
              r.recoverySeconds() == null ? "never" : String.format("%.1f s", r.recoverySeconds()),
              r.verify(),
              r.holds() ? "OK" : "FAILED" + (r.error() == null ? "" : ": " + r.error())));
    }
    text.append(
        String.format(
            "failed: sends the producer gave up on (never acknowledged, so never owed); recovery:"
                + " from the fault's end to the first batch whose totals commit came within %.0f s"
                + " of its newest order%n",
            freshnessTargetSeconds));
    return text.toString();
  }

  static void writeJson(
      Path file,
      Instant started,
      Instant finished,
      List<String> command,
      FaultsOptions options,
      double freshnessTargetSeconds,
      List<FaultResult> results)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("started", started.toString());
    root.put("finished", finished.toString());
    command.forEach(root.withArray("command")::add);
    root.put("rate", options.rate());
    root.put("time_scale", options.timeScale());
    root.put("driver_kills", options.driverKills());
    root.put("steady_seconds", options.steadySeconds());
    root.put("freshness_target_seconds", freshnessTargetSeconds);
    ArrayNode rows = root.putArray("scenarios");
    for (FaultResult r : results) {
      ObjectNode row = rows.addObject();
      row.put("scenario", r.scenario().id());
      row.put("fault", r.scenario().description());
      row.put("acknowledged", r.acknowledged());
      row.put("failed_sends", r.failed());
      row.put("records_in_topic", r.records());
      row.put("distinct_orders_in_topic", r.expected());
      row.put("counted", r.counted());
      row.put("rejected", r.rejected());
      row.put("duplicates", r.duplicates());
      row.put("lost", r.lost());
      row.put("doubled", r.doubled());
      if (r.recoverySeconds() == null) {
        row.putNull("recovery_seconds");
      } else {
        row.put("recovery_seconds", r.recoverySeconds());
      }
      row.put("verify", r.verify());
      row.put("driver_kills_between_commits", r.killsBetweenCommits());
      row.put("holds", r.holds());
      if (r.error() != null) {
        row.put("error", r.error());
      }
    }
    JSON.writeValue(file.toFile(), root);
  }
}
