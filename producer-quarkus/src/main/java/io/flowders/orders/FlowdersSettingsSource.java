package io.flowders.orders;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.Setting;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The shared FLOWDERS_* settings (the brokers, the topic, the HTTP port) as every other module
 * reads them ({@link Setting#textIn}): the environment variable unless it is unset or blank, then
 * the default declared in {@link FlowdersSettings}. application.properties refers to them as {@code
 * ${FLOWDERS_TOPIC}} and so on.
 */
public final class FlowdersSettingsSource implements ConfigSource {

  /**
   * Above the environment (300), whose blank values would otherwise win; below system properties
   * (400).
   */
  private static final int ORDINAL = 350;

  private static final Map<String, String> VALUES =
      FlowdersSettings.ALL.stream()
          .collect(
              Collectors.toUnmodifiableMap(
                  Setting::name, setting -> setting.textIn(System.getenv())));

  @Override
  public Set<String> getPropertyNames() {
    return VALUES.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return VALUES.get(propertyName);
  }

  @Override
  public String getName() {
    return "flowders-settings";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
