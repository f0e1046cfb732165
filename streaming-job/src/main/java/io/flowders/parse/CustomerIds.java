package io.flowders.parse;

import java.text.Normalizer;

/**
 * The customer_id rule. Ids are compared and stored in Unicode NFC, so that the same name typed on
 * two systems is one customer; characters that make two ids look alike or that a terminal or a log
 * would interpret (controls, format characters such as the zero-width space, line separators,
 * unpaired surrogates, surrounding spaces of any kind) are refused rather than cleaned, since a
 * cleaned id would silently merge customers.
 */
final class CustomerIds {

  static final int MAX_LENGTH = 64;

  private CustomerIds() {}

  /** NFC form of {@code text}; unpaired surrogates survive it, so they are still seen below. */
  static String normalize(String text) {
    return Normalizer.isNormalized(text, Normalizer.Form.NFC)
        ? text
        : Normalizer.normalize(text, Normalizer.Form.NFC);
  }

  /** Why {@code id} (already NFC) is not a customer id, or null when it is one. */
  static String problem(String id) {
    if (id.isEmpty()) {
      return "customer_id is empty";
    }
    int length = id.codePointCount(0, id.length());
    if (length > MAX_LENGTH) {
      return "customer_id is longer than " + MAX_LENGTH + " characters (" + length + ")";
    }
    if (isWhiteSpace(id.codePointAt(0)) || isWhiteSpace(id.codePointBefore(id.length()))) {
      return "customer_id has leading or trailing whitespace: " + "'" + Printable.cut(id) + "'";
    }
    for (int i = 0; i < id.length(); ) {
      int c = id.codePointAt(i);
      String kind = forbidden(c);
      if (kind != null) {
        return "customer_id contains "
            + kind
            + " U+"
            + String.format("%04X", c)
            + ": "
            + "'"
            + Printable.cut(id)
            + "'";
      }
      i += Character.charCount(c);
    }
    return null;
  }

  /** Unicode's White_Space property: Java's isWhitespace misses NBSP and its kin. */
  static boolean isWhiteSpace(int c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
  }

  private static String forbidden(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL -> "a control character";
      case Character.FORMAT -> "a format character";
      case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
      case Character.SURROGATE -> "an unpaired surrogate";
      default -> null;
    };
  }
}
