package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The repository root, where {@code deploy/flowders.env} and the runtimes live. Tests run with
 * their module folder as working directory and ./flowders with the root, so the root is found by
 * walking up unless it is given explicitly.
 */
public final class FlowdersHome {

  /** System property naming the root; wins over everything else. */
  public static final String PROPERTY = "flowders.home";

  /** Environment variable naming the root, when the property is not set. */
  public static final String ENV = FlowdersSettings.HOME;

  /** The file whose presence marks the root. */
  public static final String MARKER = "deploy/flowders.env";

  private FlowdersHome() {}

  public static Path root() {
    String explicit = System.getProperty(PROPERTY, System.getenv(ENV));
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).toAbsolutePath().normalize();
    }
    return walkUp(Path.of("").toAbsolutePath())
        .or(() -> JvmProcess.codeLocation(FlowdersHome.class).flatMap(FlowdersHome::walkUp))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "No "
                        + MARKER
                        + " above "
                        + Path.of("").toAbsolutePath()
                        + "; set -D"
                        + PROPERTY
                        + " or "
                        + ENV));
  }

  /** A path relative to the root. */
  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  private static Optional<Path> walkUp(Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(MARKER))) {
        return Optional.of(dir.normalize());
      }
    }
    return Optional.empty();
  }
}
