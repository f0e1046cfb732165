package io.flowders.settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files generated from {@link FlowdersSettings}: {@code deploy/flowders.env}, which docker
 * compose reads as its env_file, and the configuration table of {@code README.md}, between its two
 * marker comments. {@code ./flowders settings} runs {@link #main} to rewrite both;
 * SettingsFilesTest fails when either differs from the registry.
 */
public final class SettingsFiles {

  public static final String COMMAND = "./flowders settings";
  public static final String ENV_FILE = "deploy/flowders.env";
  public static final String README = "README.md";
  public static final String TABLE_BEGIN =
      "<!-- settings table: generated from io.flowders.settings.FlowdersSettings by "
          + COMMAND
          + " -->";
  public static final String TABLE_END = "<!-- end of the settings table -->";

  private SettingsFiles() {}

  /** Rewrites both files under the repository root {@code args[0]} (default: the working dir). */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "").toAbsolutePath();
    write(root.resolve(ENV_FILE), envFile());
    Path readme = root.resolve(README);
    write(readme, withTable(Files.readString(readme)));
  }

  /** {@code deploy/flowders.env}: KEY=VALUE lines and comments only (compose env_file syntax). */
  public static String envFile() {
    StringBuilder out = new StringBuilder();
    out.append(
            "# flowders: the settings shared by the local stack (./flowders), docker-compose.yml\n")
        .append("# (env_file) and the tests, with their defaults. Generated from the registry\n")
        .append("# io.flowders.settings.FlowdersSettings by ")
        .append(COMMAND)
        .append(": change a default there.\n")
        .append("# An environment variable of the same name overrides a line; a blank one means\n")
        .append("# unset, i.e. the default. KEY=VALUE lines only (compose env_file syntax).\n");
    for (FlowdersSettings.Section section : FlowdersSettings.SHARED) {
      out.append("\n# ").append(section.title()).append('\n');
      for (Setting<?> setting : section.settings()) {
        out.append(setting.name()).append('=').append(setting.defaultValue()).append('\n');
      }
    }
    return out.toString();
  }

  /** The README's table of every setting, markers included. */
  public static String table() {
    StringBuilder out = new StringBuilder(TABLE_BEGIN).append('\n');
    out.append("| variable | default | what |\n| --- | --- | --- |\n");
    for (Setting<?> setting : FlowdersSettings.ALL) {
      out.append("| `")
          .append(setting.name())
          .append("` | ")
          .append(setting.defaultValue().isEmpty() ? "none" : "`" + setting.defaultValue() + "`")
          .append(" | ")
          .append(setting.doc())
          .append(" |\n");
    }
    return out.append(TABLE_END).toString();
  }

  /** {@code readme} with the text between the markers (included) replaced by {@link #table()}. */
  public static String withTable(String readme) {
    int begin = readme.indexOf(TABLE_BEGIN);
    int end = readme.indexOf(TABLE_END);
    if (begin < 0 || end < begin) {
      throw new IllegalStateException(
          README + " lacks the markers of the settings table:\n" + TABLE_BEGIN + "\n" + TABLE_END);
    }
    return readme.substring(0, begin) + table() + readme.substring(end + TABLE_END.length());
  }

  private static void write(Path file, String content) throws IOException {
    if (!content.equals(Files.readString(file))) {
      Files.writeString(file, content, StandardCharsets.UTF_8);
      System.out.println("wrote " + file);
    } else {
      System.out.println(file + " is up to date");
    }
  }
}
