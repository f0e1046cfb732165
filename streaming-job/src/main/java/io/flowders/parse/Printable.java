package io.flowders.parse;

/**
 * Record text as it may appear in a reason, a log line or the console: anything a terminal could
 * interpret or that breaks a line (controls, format and separator characters, unpaired surrogates,
 * non-ASCII spaces) becomes {@code \\uXXXX}, and long text is cut.
 */
public final class Printable {

  static final int MAX_QUOTED = 80;

  private Printable() {}

  /** {@code text} cut at {@link #MAX_QUOTED} characters, then escaped. */
  public static String cut(String text) {
    return text.length() <= MAX_QUOTED
        ? escape(text)
        : escape(text.substring(0, MAX_QUOTED)) + "...";
  }

  public static String escape(String text) {
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe =
          switch (Character.getType(c)) {
            case Character.CONTROL,
                Character.FORMAT,
                Character.LINE_SEPARATOR,
                Character.PARAGRAPH_SEPARATOR,
                Character.SPACE_SEPARATOR,
                Character.PRIVATE_USE,
                Character.UNASSIGNED ->
                c != ' ';
            case Character.SURROGATE ->
                !(Character.isHighSurrogate(c)
                        && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1))
                    || Character.isLowSurrogate(c)
                        && i > 0
                        && Character.isHighSurrogate(text.charAt(i - 1)));
            default -> false;
          };
      if (unsafe) {
        if (out == null) {
          out = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        out.append(String.format("\\u%04X", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }
}
