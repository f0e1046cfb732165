package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {

  @TempDir Path dir;

  @Test
  void foldersAndFilesAreTheOwnersOnly() throws IOException {
    Path file = Folders.write(dir.resolve("state/s3/s3proxy.properties"), "s3proxy.credential=x\n");

    assertThat(Files.readString(file)).isEqualTo("s3proxy.credential=x\n");
    assertThat(permissions(dir.resolve("state"))).isEqualTo("rwx------");
    assertThat(permissions(dir.resolve("state/s3"))).isEqualTo("rwx------");
    assertThat(permissions(file)).isEqualTo("rw-------");
  }

  @Test
  void deletingAFolderTakesEverythingInItAndAMissingOneIsNothing() {
    Folders.write(dir.resolve("kafka/node-1/data/meta.properties"), "node.id=1\n");

    Folders.deleteRecursively(dir.resolve("kafka"));
    Folders.deleteRecursively(dir.resolve("kafka"));

    assertThat(dir.resolve("kafka")).doesNotExist();
  }

  @Test
  void aLogIsQuotedByItsLastLines() {
    StringBuilder log = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      log.append("line ").append(i).append('\n');
    }

    String tail = LogTail.of(log.toString());

    assertThat(tail.lines()).hasSize(LogTail.LINES).startsWith("line 76").endsWith("line 100");
    assertThat(LogTail.of(dir.resolve("missing.log"))).isEmpty();
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
