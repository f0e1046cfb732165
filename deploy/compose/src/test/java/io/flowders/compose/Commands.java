package io.flowders.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs a command line to its end, or kills it at a deadline: the checks never wait unbounded. */
final class Commands {

  record Result(int exitCode, String output) {}

  private Commands() {}

  static Result run(Path dir, Map<String, String> env, Duration timeout, List<String> command) {
    Path output;
    try {
      output = Files.createTempFile("flowders-command", ".out");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    env.forEach(
        (key, value) -> {
          if (value == null) {
            builder.environment().remove(key);
          } else {
            builder.environment().put(key, value);
          }
        });
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " still running after " + timeout);
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      output.toFile().delete();
    }
  }

  /** The first of the command lines that answers {@code version} with exit 0, if any. */
  static Optional<List<String>> firstWorking(List<List<String>> candidates) {
    for (List<String> candidate : candidates) {
      try {
        List<String> version = new ArrayList<>(candidate);
        version.add("version");
        if (run(Path.of("."), Map.of(), Duration.ofSeconds(20), version).exitCode() == 0) {
          return Optional.of(candidate);
        }
      } catch (UncheckedIOException notInstalled) {
        // next candidate
      }
    }
    return Optional.empty();
  }
}
