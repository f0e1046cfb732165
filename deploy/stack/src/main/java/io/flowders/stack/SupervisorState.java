package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the job's supervisor tells {@code ./flowders status}: one flat JSON object in the stack's
 * state folder, replaced whole on each change (so a reader never sees half of one).
 *
 * @param supervisorPid the supervisor's process
 * @param state {@link #RUNNING} (the job runs), {@link #RESTARTING} (waiting until {@code
 *     restartAt}) or {@link #STOPPED} (the supervisor has exited: the job stopped or down stopped
 *     it)
 * @param jobPid the job's process, 0 before the first start
 * @param restarts restarts after a failed job, since the stack started
 * @param lastExit why the job last ended ("killed by SIGKILL (exit 137)", "exit 1"), or null
 * @param lastExitAt when, or null
 * @param lastError the last ERROR line the job logged before it ended, one printable line, or null
 * @param restartAt when the next start is due while {@link #RESTARTING}, else null
 */
record SupervisorState(
    long supervisorPid,
    String state,
    long jobPid,
    int restarts,
    String lastExit,
    Instant lastExitAt,
    String lastError,
    Instant restartAt) {

  static final String RUNNING = "running";
  static final String RESTARTING = "restarting";
  static final String STOPPED = "stopped";

  SupervisorState withState(String state, Instant restartAt) {
    return new SupervisorState(
        supervisorPid, state, jobPid, restarts, lastExit, lastExitAt, lastError, restartAt);
  }

  SupervisorState running(long jobPid) {
    return new SupervisorState(
        supervisorPid, RUNNING, jobPid, restarts, lastExit, lastExitAt, lastError, null);
  }

  SupervisorState exited(String reason, Instant at, String error) {
    return new SupervisorState(supervisorPid, state, jobPid, restarts, reason, at, error, null);
  }

  SupervisorState restarting(Instant at) {
    return new SupervisorState(
        supervisorPid, RESTARTING, jobPid, restarts + 1, lastExit, lastExitAt, lastError, at);
  }

  /** Replaces the file (owner-only) with this state. */
  void write(Path file) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Folders.write(temporary, toJson() + "\n");
    try {
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The state in the file, if there is a readable one. */
  static Optional<SupervisorState> read(Path file) {
    try {
      return Optional.of(fromJson(Files.readString(file)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  String toJson() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("supervisor_pid", supervisorPid);
    fields.put("state", state);
    fields.put("job_pid", jobPid);
    fields.put("restarts", restarts);
    fields.put("last_exit", lastExit);
    fields.put("last_exit_at", lastExitAt);
    fields.put("last_error", lastError);
    fields.put("restart_at", restartAt);
    StringBuilder json = new StringBuilder("{");
    fields.forEach(
        (key, value) -> {
          json.append(json.length() > 1 ? "," : "").append('"').append(key).append("\":");
          if (value == null) {
            json.append("null");
          } else if (value instanceof Number) {
            json.append(value);
          } else {
            quote(value.toString(), json);
          }
        });
    return json.append('}').toString();
  }

  static SupervisorState fromJson(String json) {
    Map<String, String> fields = new FlatJson(json).object();
    return new SupervisorState(
        Long.parseLong(fields.getOrDefault("supervisor_pid", "0")),
        fields.getOrDefault("state", STOPPED),
        Long.parseLong(fields.getOrDefault("job_pid", "0")),
        Integer.parseInt(fields.getOrDefault("restarts", "0")),
        fields.get("last_exit"),
        instant(fields.get("last_exit_at")),
        fields.get("last_error"),
        instant(fields.get("restart_at")));
  }

  private static Instant instant(String text) {
    return text == null ? null : Instant.parse(text);
  }

  private static void quote(String text, StringBuilder out) {
    out.append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Reads one JSON object of strings, numbers and nulls: all this file holds. */
  private static final class FlatJson {

    private final String text;
    private int at;

    FlatJson(String text) {
      this.text = text;
    }

    Map<String, String> object() {
      Map<String, String> fields = new LinkedHashMap<>();
      expect('{');
      if (peek() == '}') {
        at++;
        return fields;
      }
      do {
        String key = string();
        expect(':');
        fields.put(key, value());
      } while (comma());
      expect('}');
      return fields;
    }

    private String value() {
      char c = peek();
      if (c == '"') {
        return string();
      }
      int start = at;
      while (at < text.length() && ",}".indexOf(text.charAt(at)) < 0) {
        at++;
      }
      String literal = text.substring(start, at).strip();
      return literal.equals("null") ? null : literal;
    }

    private String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char escaped = text.charAt(at++);
        switch (escaped) {
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(escaped);
        }
      }
    }

    private boolean comma() {
      if (peek() == ',') {
        at++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + at + " of " + text);
      }
      at++;
    }

    private char peek() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      if (at >= text.length()) {
        throw new IllegalArgumentException("unexpected end of " + text);
      }
      return text.charAt(at);
    }
  }
}
