package io.flowders.metrics;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Prometheus' text exposition format 0.0.4, the little of it the job writes: for each metric family
 * a {@code # HELP} and a {@code # TYPE} line, then its samples, {@code name{label="value"} number}.
 */
final class PrometheusText {

  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder text = new StringBuilder();

  /** Starts a family: {@code type} is {@code counter} or {@code gauge}. */
  PrometheusText family(String name, String type, String help) {
    text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  PrometheusText sample(String name, double value) {
    return sample(name, Map.of(), value);
  }

  /** A sample; {@code labels} in the order given. */
  PrometheusText sample(String name, Map<String, String> labels, double value) {
    text.append(name);
    if (!labels.isEmpty()) {
      text.append('{');
      String separator = "";
      for (Map.Entry<String, String> label : labels.entrySet()) {
        text.append(separator)
            .append(label.getKey())
            .append("=\"")
            .append(escapeLabel(label.getValue()))
            .append('"');
        separator = ",";
      }
      text.append('}');
    }
    text.append(' ').append(number(value)).append('\n');
    return this;
  }

  /** Whole numbers without a fraction (counts read as counts), others in plain decimals. */
  static String number(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "+Inf" : "-Inf";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return BigDecimal.valueOf(value).toPlainString();
  }

  private static String escapeHelp(String help) {
    return help.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String escapeLabel(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
