package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.stack.Credentials.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir Path dir;

  @Test
  void firstUseGeneratesEverySecretIntoAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("state").resolve(Credentials.FILE);

    Credentials credentials = Credentials.ensure(file);

    for (Secret secret : Secret.values()) {
      assertThat(credentials.get(secret)).as(secret.key()).hasSize(32).matches("[A-Za-z0-9_-]+");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
    assertThat(credentials.get(Secret.S3_SECRET_KEY))
        .isNotEqualTo(credentials.get(Secret.SPARK_AUTH_SECRET));
  }

  @Test
  void laterUsesReadTheSameSecretsAndRegenerateOnlyADeletedOne() throws Exception {
    Path file = dir.resolve(Credentials.FILE);
    Credentials first = Credentials.ensure(file);
    Files.writeString(
        file,
        Files.readString(file).replaceAll("(?m)^" + Secret.KAFKA_JOB_PASSWORD.key() + "=.*\n", ""));

    Credentials second = Credentials.ensure(file);

    assertThat(second.get(Secret.S3_SECRET_KEY)).isEqualTo(first.get(Secret.S3_SECRET_KEY));
    assertThat(second.get(Secret.KAFKA_JOB_PASSWORD))
        .isNotEqualTo(first.get(Secret.KAFKA_JOB_PASSWORD));
    assertThat(Credentials.ensure(file).get(Secret.KAFKA_JOB_PASSWORD))
        .isEqualTo(second.get(Secret.KAFKA_JOB_PASSWORD));
  }

  @Test
  void theStackUsesTheGeneratedSecretsUnlessTheEnvironmentSetsThem() {
    Map<String, String> env = Map.of(StackLayout.STATE_DIR, dir.resolve("s").toString());
    StackLayout generated = new StackLayout(dir, StackConfig.load(env));
    StackLayout again = new StackLayout(dir, StackConfig.load(env));
    StackLayout explicit =
        new StackLayout(
            dir,
            StackConfig.load(
                Map.of(
                    StackLayout.STATE_DIR,
                    dir.resolve("s").toString(),
                    StackConfig.S3_SECRET_KEY,
                    "from-the-environment")));

    assertThat(generated.config().s3SecretKey())
        .isEqualTo(generated.credentials().get(Secret.S3_SECRET_KEY))
        .isEqualTo(again.config().s3SecretKey());
    assertThat(generated.config().sparkAuthSecret())
        .isEqualTo(generated.credentials().get(Secret.SPARK_AUTH_SECRET));
    assertThat(explicit.config().s3SecretKey()).isEqualTo("from-the-environment");
    assertThat(generated.credentials().toString()).doesNotContain(generated.config().s3SecretKey());
  }

  @Test
  void theStackClosesAStateFolderAndCredentialsFileThatOthersCouldRead() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path file = state.resolve(Credentials.FILE);
    Credentials.ensure(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    new StackLayout(dir, StackConfig.load(Map.of(StackLayout.STATE_DIR, state.toString())));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
