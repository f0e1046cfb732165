package io.flowders.stack;

import io.flowders.settings.FlowdersSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The jars of the components, resolved by Maven into {@code deploy/<runtime>/target} (a
 * classpath.txt, or a SPARK_HOME). A fresh clone has none of them: the first use builds the runtime
 * module once, so a test or ./flowders never fails for want of a {@code mvn package}.
 */
public final class Runtimes {

  public static final String KAFKA = "kafka";
  public static final String S3 = "s3";
  public static final String SPARK = "spark";

  private Runtimes() {}

  /** The runtime's classpath entries (Maven local repository jars). */
  public static synchronized List<String> classpath(String runtime) {
    Path file = FlowdersHome.resolve("deploy/" + runtime + "/target/classpath.txt");
    if (!complete(file)) {
      build(runtime);
    }
    try {
      return Arrays.asList(Files.readString(file).strip().split(java.io.File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A SPARK_HOME whose jars/ and conf/ a standalone worker gives its executors, with a
   * distribution's bin/spark-submit.
   */
  public static synchronized Path sparkHome() {
    Path home = FlowdersHome.resolve("deploy/spark/target/spark-home");
    if (!Files.isDirectory(home.resolve("jars"))
        || !Files.isDirectory(home.resolve("conf"))
        || !Files.isExecutable(home.resolve("bin/spark-submit"))) {
      build(SPARK);
    }
    return home;
  }

  private static boolean complete(Path classpathFile) {
    try {
      return Files.isRegularFile(classpathFile)
          && Arrays.stream(
                  Files.readString(classpathFile).strip().split(java.io.File.pathSeparator))
              .allMatch(entry -> !entry.isEmpty() && Files.exists(Path.of(entry)));
    } catch (IOException e) {
      return false;
    }
  }

  private static void build(String runtime) {
    Path pom = FlowdersHome.resolve("deploy/" + runtime + "/pom.xml");
    String mvn = FlowdersSettings.MVN.from(System.getenv());
    List<String> command = List.of(mvn, "-B", "-q", "-f", pom.toString(), "package");
    System.err.println(
        "flowders: the "
            + runtime
            + " runtime is not built yet, building it once: "
            + String.join(" ", command));
    try {
      Process process =
          new ProcessBuilder(command).directory(FlowdersHome.root().toFile()).inheritIO().start();
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(
            "Building the "
                + runtime
                + " runtime failed (exit "
                + exit
                + "): "
                + String.join(" ", command));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot run " + mvn + " to build the " + runtime + " runtime", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while building the " + runtime + " runtime", e);
    }
  }
}
