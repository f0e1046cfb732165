package io.flowders.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a log, quoted when a component fails so the reason is on screen. */
public final class LogTail {

  /** Enough for a stack trace's head and what led to it. */
  static final int LINES = 25;

  private LogTail() {}

  /** The last {@link #LINES} lines of a text. */
  public static String of(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
  }

  /** The last {@link #LINES} lines of a file; empty when it cannot be read. */
  public static String of(Path file) {
    try {
      return of(Files.readString(file));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
