package io.flowders.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {

  @Test
  void everyDefaultParses() {
    for (Setting<?> setting : FlowdersSettings.ALL) {
      assertThat(setting.parse(setting.defaultValue())).as(setting.name()).isNotNull();
      assertThat(setting.doc()).as(setting.name()).isNotBlank().doesNotContain("\n", "|");
    }
    Settings defaults = Settings.load(Map.of());
    assertThat(defaults.get(FlowdersSettings.TRIGGER)).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.get(FlowdersSettings.WATERMARK)).isEqualTo(Duration.ofMinutes(1));
    assertThat(defaults.get(FlowdersSettings.SPARK_EXECUTOR_MEMORY).bytes()).isEqualTo(768L << 20);
    assertThat(defaults.get(FlowdersSettings.KAFKA_BOOTSTRAP))
        .extracting(URI::getPort)
        .containsExactly(9092, 9093, 9094);
  }

  @Test
  void namesAreUnique() {
    assertThat(FlowdersSettings.ALL.stream().map(Setting::name)).doesNotHaveDuplicates();
  }

  @Test
  void environmentOverridesTheDefaultAndOtherVariablesAreIgnored() {
    Settings settings =
        Settings.load(
            Map.of("FLOWDERS_TOPIC", " orders-test ", "FLOWDERS_EXTRA", "x", "PATH", "/bin"));

    assertThat(settings.get(FlowdersSettings.TOPIC)).isEqualTo("orders-test");
    assertThat(settings.text(FlowdersSettings.TRIGGER)).isEqualTo("10 seconds");
    assertThat(settings.asEnvironment())
        .containsEntry("FLOWDERS_TOPIC", "orders-test")
        .doesNotContainKeys("FLOWDERS_EXTRA", "PATH");
  }

  @Test
  void aBlankVariableMeansTheDefault() {
    Settings settings =
        Settings.load(Map.of("FLOWDERS_TOPIC", "", "FLOWDERS_TRIGGER", "  ", "FLOWDERS_MVN", "\t"));

    assertThat(settings.get(FlowdersSettings.TOPIC)).isEqualTo("orders");
    assertThat(settings.get(FlowdersSettings.TRIGGER)).isEqualTo(Duration.ofSeconds(10));
    assertThat(FlowdersSettings.MVN.from(Map.of("FLOWDERS_MVN", ""))).isEqualTo("mvn");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "FLOWDERS_TRIGGER; soon; a duration such as 10 seconds",
        "FLOWDERS_WATERMARK; 1 fortnight; a duration such as 10 seconds",
        "FLOWDERS_TOPIC_PARTITIONS; ten; a whole number of 1 or more",
        "FLOWDERS_TOPIC_PARTITIONS; 0; a whole number of 1 or more",
        "FLOWDERS_SPARK_EXECUTOR_MEMORY; lots; a memory size such as 768m",
        "FLOWDERS_SPARK_UI_PORT; 70000; a TCP port, 1..65535",
        "FLOWDERS_SPARK_WORKER_UI_PORTS; 8091,x; TCP ports separated by commas",
        "FLOWDERS_KAFKA_BOOTSTRAP; 127.0.0.1; host:port pairs separated by commas",
        "FLOWDERS_S3_ENDPOINT; http://127.0.0.1; a URL with a host and a port",
        "FLOWDERS_WAREHOUSE; warehouse/iceberg; a URI with a scheme",
        "FLOWDERS_SPARK_MASTER; yarn-ish; spark://host:port, local, local[N]",
        "FLOWDERS_MAX_AMOUNT; 0; an amount > 0 with at most 2 decimals",
        "FLOWDERS_MAX_AMOUNT; 10.001; an amount > 0 with at most 2 decimals",
        "FLOWDERS_MAX_AMOUNT; 10000000000000000.00; an amount > 0 with at most 2 decimals",
        "FLOWDERS_MAX_AMOUNT; lots; an amount > 0 with at most 2 decimals",
        "FLOWDERS_MAX_CLOCK_SKEW; a bit; a duration such as 10 seconds",
      })
  void aBadValueIsRejectedAtLoadNamingTheSettingAndAValidValue(
      String name, String value, String expected) {
    assertThatThrownBy(() -> Settings.load(Map.of(name, value)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(name + "='" + value + "'")
        .hasMessageContaining("expected " + expected)
        .hasMessageContaining("unset it for the default");
  }

  @Test
  void everyBadValueIsReportedAtOnce() {
    assertThatThrownBy(
            () -> Settings.load(Map.of("FLOWDERS_TRIGGER", "soon", "FLOWDERS_SPARK_UI_PORT", "x")))
        .hasMessageContaining("FLOWDERS_TRIGGER")
        .hasMessageContaining("FLOWDERS_SPARK_UI_PORT");
  }

  @Test
  void acceptsTheValuesTestsAndBenchesUse() {
    Settings settings =
        Settings.load(
            Map.of(
                "FLOWDERS_SPARK_MASTER", "local[2]",
                "FLOWDERS_WAREHOUSE", "file:///tmp/warehouse",
                "FLOWDERS_TRIGGER", "100 milliseconds",
                "FLOWDERS_SPARK_WORKER_UI_PORTS", "1, 2 ,3"));
    assertThat(settings.get(FlowdersSettings.SPARK_MASTER_URL)).isEqualTo("local[2]");
    assertThat(settings.get(FlowdersSettings.TRIGGER)).isEqualTo(Duration.ofMillis(100));
    assertThat(settings.get(FlowdersSettings.SPARK_WORKER_UI_PORTS)).containsExactly(1, 2, 3);
  }

  @Test
  void parsesSparkStyleDurations() {
    assertThat(SettingType.duration("1 minute")).isEqualTo(Duration.ofMinutes(1));
    assertThat(SettingType.duration("10 seconds")).isEqualTo(Duration.ofSeconds(10));
    assertThat(SettingType.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(SettingType.duration("500 ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(SettingType.duration("2 hours")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> SettingType.duration("soon")).hasMessageContaining("not a duration");
  }

  @Test
  void parsesMemorySizes() {
    assertThat(MemorySize.parse("768m").bytes()).isEqualTo(768L << 20);
    assertThat(MemorySize.parse("2g").bytes()).isEqualTo(2L << 30);
    assertThat(MemorySize.parse("2G").text()).isEqualTo("2G");
    assertThat(MemorySize.parse("512k").bytes()).isEqualTo(512L << 10);
    assertThat(MemorySize.parse("1024").bytes()).isEqualTo(1024);
    assertThatThrownBy(() -> MemorySize.parse("2 gigs")).hasMessageContaining("not a memory size");
  }

  @ParameterizedTest
  @CsvSource({
    "s3a://warehouse/checkpoints, /srv/flowders, s3a://warehouse/checkpoints",
    "file:/tmp/ckpt, /srv/flowders, file:/tmp/ckpt",
    "file:///tmp/ckpt, /srv/flowders, file:///tmp/ckpt",
    "/var/ckpt, /srv/flowders, /var/ckpt",
    ".flowders/checkpoints/orders-job, /srv/flowders, /srv/flowders/.flowders/checkpoints/orders-job",
    "ckpt, /srv/flowders, /srv/flowders/ckpt",
    "ckpt, '', ckpt",
  })
  void resolvesLocationsUnderTheHomeUnlessTheyAreURIsOrAbsolute(
      String location, String home, String expected) {
    assertThat(SettingType.resolveLocation(location, home)).isEqualTo(expected);
  }
}
