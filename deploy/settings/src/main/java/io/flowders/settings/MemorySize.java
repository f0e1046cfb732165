package io.flowders.settings;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory size as the JVM and Spark write it ({@code 768m}, {@code 2g}): the text, which Spark
 * takes as is, and its bytes, for sums.
 */
public record MemorySize(String text, long bytes) {

  private static final Pattern SIZE = Pattern.compile("(\\d+)([kmgt]?)b?");

  /** {@code 512k}, {@code 768m}, {@code 2g}, {@code 1t}, or a number of bytes. */
  public static MemorySize parse(String text) {
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a memory size: '" + text + "' (e.g. '768m', '2g')");
    }
    long amount = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    return new MemorySize(text.strip(), amount << shift);
  }

  @Override
  public String toString() {
    return text;
  }
}
