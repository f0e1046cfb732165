package io.flowders.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Names the input rule a reject broke, from its reason: the reason's leading words, before the
 * first value it quotes ({@code "amount must be > 0, got -3"} → {@code "amount must be > 0"},
 * {@code "timestamp is before 1970-01-01T00:00:00Z: ..."} → {@code "timestamp is before"}). Every
 * reason the job writes starts with its rule in plain words and puts values after a colon, a comma
 * or in parentheses, so the names are as few as the rules: a metrics label that cannot grow with
 * the data.
 */
public final class RejectRules {

  /** A plain word of a rule, optionally ending the rule with a colon or a comma. */
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_><=-]+[:,]?");

  private static final int MAX_WORDS = 8;

  /** For a reason without leading words (none the job writes). */
  public static final String OTHER = "other";

  private RejectRules() {}

  public static String rule(String reason) {
    if (reason == null) {
      return OTHER;
    }
    List<String> words = new ArrayList<>();
    for (String word : reason.strip().split(" ")) {
      if (words.size() == MAX_WORDS || !WORD.matcher(word).matches()) {
        break;
      }
      char last = word.charAt(word.length() - 1);
      if (last == ':' || last == ',') {
        words.add(word.substring(0, word.length() - 1));
        break;
      }
      words.add(word);
    }
    return words.isEmpty() ? OTHER : String.join(" ", words);
  }
}
