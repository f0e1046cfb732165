package io.flowders.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A .dockerignore as Docker applies it to the build context: the last pattern that matches a path
 * or one of its parent folders decides, {@code !} re-includes, {@code *} and {@code ?} stop at a
 * {@code /}, {@code **} crosses folders.
 */
final class DockerIgnore {

  private record Rule(Pattern pattern, boolean include) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      boolean include = trimmed.startsWith("!");
      String pattern = (include ? trimmed.substring(1) : trimmed).strip();
      pattern = pattern.replaceAll("^/+", "").replaceAll("/+$", "");
      rules.add(new Rule(regex(pattern), include));
    }
    return new DockerIgnore(rules);
  }

  static DockerIgnore read() {
    return parse(Repo.read(Repo.DOCKER_IGNORE));
  }

  /** Whether {@code path} (relative to the context, with {@code /}) reaches the builder. */
  boolean sends(String path) {
    boolean sent = true;
    for (Rule rule : rules) {
      if (matchesOrParentMatches(rule.pattern(), path)) {
        sent = rule.include();
      }
    }
    return sent;
  }

  private static boolean matchesOrParentMatches(Pattern pattern, String path) {
    String[] parts = path.split("/");
    StringBuilder prefix = new StringBuilder();
    for (String part : parts) {
      prefix.append(prefix.isEmpty() ? "" : "/").append(part);
      if (pattern.matcher(prefix).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Pattern regex(String glob) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        i++;
        if (i + 1 < glob.length() && glob.charAt(i + 1) == '/') {
          i++;
          regex.append("(?:.*/)?");
        } else {
          regex.append(".*");
        }
      } else if (c == '*') {
        regex.append("[^/]*");
      } else if (c == '?') {
        regex.append("[^/]");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
