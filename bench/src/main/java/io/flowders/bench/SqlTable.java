package io.flowders.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a table as {@code ./flowders sql -e} prints it (Spark's show format), header left
 * out.
 */
final class SqlTable {

  private SqlTable() {}

  static List<List<String>> rows(String output) {
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : output.lines().toList()) {
      if (!line.startsWith("|")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      String inner = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0));
      rows.add(Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList());
    }
    return rows;
  }
}
