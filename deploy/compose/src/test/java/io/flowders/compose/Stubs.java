package io.flowders.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the programs the container scripts start (spark-submit, kafka-topics.sh...): each
 * logs its arguments and the environment variables a test asks about, so a test reads exactly what
 * was run, and with which settings.
 */
final class Stubs {

  private static final String ENV_MARKER = "--- env";

  /** One logged call. */
  record Call(List<String> args, Map<String, String> env) {}

  private Stubs() {}

  /** A stub {@code bin/name} that logs its call, then runs {@code body} (sh). */
  static void write(Path bin, String name, Path log, List<String> envNames, String body) {
    StringBuilder script =
        new StringBuilder("#!/bin/sh\n{\n  echo \"== ")
            .append(name)
            .append("\"\n")
            .append("  for arg in \"$@\"; do echo \"$arg\"; done\n")
            .append("  echo '")
            .append(ENV_MARKER)
            .append("'\n");
    envNames.forEach(
        env -> script.append("  echo \"").append(env).append("=$").append(env).append("\"\n"));
    script.append("} >> '").append(log).append("'\n").append(body).append('\n');
    try {
      Files.createDirectories(bin);
      Path file = bin.resolve(name);
      Files.writeString(file, script);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every logged call of {@code name}, in order. */
  static List<Call> calls(Path log, String name) {
    try {
      if (!Files.exists(log)) {
        return List.of();
      }
      return Arrays.stream(Files.readString(log).split("(?m)^== "))
          .filter(call -> call.startsWith(name + "\n"))
          .map(call -> parse(call.substring(name.length() + 1)))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Call parse(String logged) {
    List<String> lines = List.of(logged.split("\n", -1));
    int marker = lines.indexOf(ENV_MARKER);
    Map<String, String> env = new LinkedHashMap<>();
    lines.subList(marker + 1, lines.size()).stream()
        .filter(line -> !line.isEmpty())
        .forEach(
            line ->
                env.put(
                    line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
    return new Call(lines.subList(0, marker), env);
  }
}
