package io.flowders.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client config that {@link FlowdersSettings#KAFKA_PROPERTIES} names: Kafka client keys
 * ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.*}, ...)
 * in a properties file, which every reader of the topic applies as it is. The file keeps passwords
 * off command lines and out of the environment of every process that does not read Kafka.
 */
public final class KafkaClientProperties {

  private KafkaClientProperties() {}

  /**
   * The properties of the file the settings name (relative to {@code home} when not absolute), or
   * none when the setting is blank. A missing or unreadable file fails, naming the setting.
   */
  public static Map<String, String> load(Settings settings, String home) {
    String location = settings.get(FlowdersSettings.KAFKA_PROPERTIES);
    if (location.isBlank()) {
      return Map.of();
    }
    return read(Path.of(SettingType.resolveLocation(location, home)));
  }

  /** A Kafka client properties file, key by key. */
  public static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the Kafka client properties "
              + file
              + " ("
              + FlowdersSettings.KAFKA_PROPERTIES.name()
              + "): "
              + e,
          e);
    }
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
    return values;
  }
}
