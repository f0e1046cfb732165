package io.flowders.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The files and folders the stack makes for its components: created for the owner only (the
 * contract's 0700 folders and 0600 files: component configs hold the S3 secret), and deleted whole.
 */
public final class Folders {

  private static final boolean POSIX =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private Folders() {}

  /** The folder and its missing parents, readable by the owner only. */
  public static Path create(Path dir) {
    try {
      return POSIX
          ? Files.createDirectories(dir, ownerOnly("rwx------"))
          : Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  /**
   * {@link #create} that also closes a folder made before it was owner-only (by an older version,
   * or by hand) to everyone else.
   */
  public static Path createPrivate(Path dir) {
    create(dir);
    try {
      if (POSIX) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make " + dir + " owner-only", e);
    }
  }

  /**
   * Closes an existing file to everyone but its owner (one an older version, or a user, left
   * readable): what {@link #write} gives a file it writes.
   */
  public static Path closeToOthers(Path file) {
    try {
      if (POSIX) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make " + file + " owner-only", e);
    }
  }

  /** A new folder under the system's temporary one (which the JDK makes owner-only). */
  public static Path temporary(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary folder", e);
    }
  }

  /** Writes {@code text} to the file, replacing it, readable by the owner only. */
  public static Path write(Path file, String text) {
    try {
      create(file.toAbsolutePath().getParent());
      if (POSIX) {
        if (Files.exists(file)) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } else {
          Files.createFile(file, ownerOnly("rw-------"));
        }
      }
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** Deletes a folder and everything in it; nothing when it does not exist. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }

  /** Deletes a file if it is there; a failure is left to whoever reads it next. */
  public static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a stale pid file is checked against the process' start time; a temporary file is harmless
    }
  }

  private static FileAttribute<?> ownerOnly(String permissions) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
  }
}
