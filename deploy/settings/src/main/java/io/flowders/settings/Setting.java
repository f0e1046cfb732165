package io.flowders.settings;

import java.util.Map;

/**
 * One setting, declared once in {@link FlowdersSettings}: the environment variable that sets it,
 * the type its text must parse as, the default (as text, the way a user would write it) and a
 * one-line doc for the README and {@code deploy/flowders.env}.
 */
public record Setting<T>(String name, SettingType<T> type, String defaultValue, String doc) {

  /**
   * The value {@code env} gives this setting. A variable that is unset or blank means the default:
   * {@code FLOWDERS_X= ./flowders up} (or an empty line in a compose file) is how a shell or a
   * compose file leaves a value out, never a value of its own.
   */
  public T from(Map<String, String> env) {
    return parse(textIn(env));
  }

  /** The text {@code env} gives this setting: its variable, unless unset or blank; the default. */
  public String textIn(Map<String, String> env) {
    String text = env.get(name);
    return text == null || text.isBlank() ? defaultValue : text.strip();
  }

  /**
   * The value of {@code text}, or an {@link IllegalArgumentException} naming the setting and what a
   * valid value looks like.
   */
  public T parse(String text) {
    try {
      return type.parse(text.strip());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          name + "='" + text + "' is not valid: expected " + type.expected(), e);
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
