package io.flowders.stack;

import io.flowders.stack.StackLayout.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code ./flowders logs [COMPONENT]}: follows the components' logs with tail -F. */
final class StackLogs {

  private final StackLayout layout;

  StackLogs(LocalStack stack) {
    this.layout = stack.layout;
  }

  /** Follows the logs of the components whose name starts with {@code prefix} (all without one). */
  public int run(Optional<String> prefix) {
    List<Component> chosen =
        layout.components().stream()
            .filter(c -> prefix.map(c.name()::startsWith).orElse(true))
            .toList();
    if (chosen.isEmpty()) {
      throw new StackException(
          "no component "
              + prefix.get()
              + "; components: "
              + String.join(", ", layout.components().stream().map(Component::name).toList())
              + ", kafka, spark");
    }
    List<String> files =
        chosen.stream().map(Component::log).filter(Files::exists).map(Path::toString).toList();
    if (files.isEmpty()) {
      throw new StackException(
          "no log yet for " + prefix.orElse("any component") + " (run ./flowders up)");
    }
    List<String> command = new ArrayList<>(List.of("tail", "-n", "50", "-F"));
    command.addAll(files);
    try {
      Process tail = new ProcessBuilder(command).inheritIO().start();
      // Ctrl-C reaches tail itself; a kill of this JVM alone must not leave it behind.
      Runtime.getRuntime().addShutdownHook(new Thread(tail::destroy, "flowders-stop-tail"));
      return tail.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }
}
