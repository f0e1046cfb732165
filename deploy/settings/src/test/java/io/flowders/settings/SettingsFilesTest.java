package io.flowders.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated files agree with the registry; {@code ./flowders settings} makes them agree. */
class SettingsFilesTest {

  /** Tests run in deploy/settings. */
  private static final Path ROOT = Path.of("../..");

  @Test
  void envFileIsGeneratedFromTheRegistry() throws Exception {
    assertThat(Files.readString(ROOT.resolve(SettingsFiles.ENV_FILE)))
        .as(
            SettingsFiles.ENV_FILE
                + " differs from io.flowders.settings.FlowdersSettings: run "
                + SettingsFiles.COMMAND
                + " to regenerate it")
        .isEqualTo(SettingsFiles.envFile());
  }

  @Test
  void readmeTableIsGeneratedFromTheRegistry() throws Exception {
    String readme = Files.readString(ROOT.resolve(SettingsFiles.README));
    assertThat(readme)
        .as(
            "README.md's configuration table differs from io.flowders.settings.FlowdersSettings:"
                + " run "
                + SettingsFiles.COMMAND
                + " to regenerate it")
        .isEqualTo(SettingsFiles.withTable(readme));
  }

  @Test
  void envFileHoldsEachSharedDefaultAsComposeReadsIt() throws Exception {
    Map<String, String> lines = new LinkedHashMap<>();
    for (String line : SettingsFiles.envFile().split("\n")) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && eq > 0) {
        lines.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Map<String, String> shared = new LinkedHashMap<>();
    FlowdersSettings.SHARED.forEach(
        s -> s.settings().forEach(setting -> shared.put(setting.name(), setting.defaultValue())));
    assertThat(lines).containsExactlyEntriesOf(shared);
  }
}
