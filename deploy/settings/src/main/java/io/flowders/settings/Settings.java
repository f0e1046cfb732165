package io.flowders.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of every {@link FlowdersSettings} setting, each parsed and checked at load: the
 * environment variable of the setting's name, or its default when the variable is unset or blank
 * (the one rule, see {@link Setting#from}). Variables that name no setting are ignored.
 */
public final class Settings {

  private final Map<Setting<?>, Object> values;
  private final Map<String, String> texts;

  private Settings(Map<Setting<?>, Object> values, Map<String, String> texts) {
    this.values = Collections.unmodifiableMap(values);
    this.texts = Collections.unmodifiableMap(texts);
  }

  /** The process's own settings: {@code System.getenv()} over the defaults. */
  public static Settings fromEnvironment() {
    return load(System.getenv());
  }

  /**
   * {@code env} over the defaults; an {@link IllegalArgumentException} lists every invalid value,
   * each with what a valid one looks like.
   */
  public static Settings load(Map<String, String> env) {
    Map<Setting<?>, Object> values = new LinkedHashMap<>();
    Map<String, String> texts = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (Setting<?> setting : FlowdersSettings.ALL) {
      String text = setting.textIn(env);
      try {
        values.put(setting, setting.parse(text));
        texts.put(setting.name(), text);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(
          String.join("\n", errors)
              + "\nFix the environment variable"
              + (errors.size() > 1 ? "s" : "")
              + " above, or unset "
              + (errors.size() > 1 ? "them" : "it")
              + " for the default (see the README's Configuration).");
    }
    return new Settings(values, texts);
  }

  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /** The setting's text as the user wrote it ("10 seconds"), for messages and child processes. */
  public String text(Setting<?> setting) {
    return texts.get(setting.name());
  }

  /** Every setting as an environment variable, to hand the same settings to a child process. */
  public Map<String, String> asEnvironment() {
    return texts;
  }
}
