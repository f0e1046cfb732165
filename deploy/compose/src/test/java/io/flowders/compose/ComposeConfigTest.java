package io.flowders.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.flowders.compose.Commands.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Compose's own validation of docker-compose.yml, which needs no Docker engine: schema, merge keys,
 * interpolation, env files. Uses the `docker compose` plugin, else Debian's `docker-compose`
 * (.ci/run installs it); skipped where neither is installed.
 */
class ComposeConfigTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static List<String> compose;

  @BeforeAll
  static void findCompose() {
    Optional<List<String>> cli =
        Commands.firstWorking(List.of(List.of("docker", "compose"), List.of("docker-compose")));
    assumeTrue(
        cli.isPresent(),
        "neither `docker compose` nor `docker-compose` is installed:"
            + " apt-get install --no-install-recommends docker-compose (as .ci/run does)");
    compose = cli.get();
  }

  @Test
  void composeAcceptsTheFile() {
    Result result = config(Repo.path(Repo.COMPOSE_FILE), List.of());
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @Test
  void composeRejectsAnOptionItDoesNotKnow(@TempDir Path tmp) throws IOException {
    Path broken = tmp.resolve("docker-compose.yml");
    Files.writeString(
        broken,
        Repo.read(Repo.COMPOSE_FILE)
            .replace(
                "    command: [\"master\"]\n",
                "    command: [\"master\"]\n    no_such_option: true\n"));
    Result result = config(broken, List.of());
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("no_such_option");
  }

  /** A fresh clone has no .env: the stack must start from the compose file alone. */
  @Test
  void composeNeedsNoEnvFile(@TempDir Path tmp) throws IOException {
    Path emptyEnv = Files.createFile(tmp.resolve("empty.env"));
    Result result =
        config(Repo.path(Repo.COMPOSE_FILE), List.of("--env-file", emptyEnv.toString()));
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  /** What `docker compose config` shows (and logs, and bug reports copy) holds no secret. */
  @Test
  void theResolvedConfigurationHoldsNoSecret() {
    List<String> command = new ArrayList<>(compose);
    command.addAll(
        List.of(
            "--project-directory",
            Repo.root().toString(),
            "-f",
            Repo.path(Repo.COMPOSE_FILE).toString(),
            "config"));
    Result result = Commands.run(Repo.root(), Map.of(), TIMEOUT, command);

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("credentials:", "MINIO_ROOT_PASSWORD_FILE");
    assertThat(ComposeSecurityTest.literalSecrets(result.output())).isEmpty();
  }

  @Test
  void theStackTestsOverrideKeepsMinioDataOutOfTheUsersWarehouse() throws Exception {
    Path override =
        Path.of(ComposeConfigTest.class.getClassLoader().getResource("compose-it.yml").toURI());
    List<String> command = new ArrayList<>(compose);
    command.addAll(
        List.of(
            "--project-directory",
            Repo.root().toString(),
            "-f",
            Repo.path(Repo.COMPOSE_FILE).toString(),
            "-f",
            override.toString(),
            "config"));
    Result result = Commands.run(Repo.root(), Map.of(), TIMEOUT, command);
    assertThat(result.exitCode()).as(result.output()).isZero();

    Map<String, Object> merged = new Yaml().load(result.output());
    Object minioVolumes =
        ((Map<?, ?>) ((Map<?, ?>) merged.get("services")).get("minio")).get("volumes");
    assertThat(minioVolumes.toString()).contains("it-minio-data").doesNotContain("warehouse");
  }

  private static Result config(Path file, List<String> options) {
    List<String> command = new ArrayList<>(compose);
    command.addAll(List.of("--project-directory", Repo.root().toString(), "-f", file.toString()));
    command.addAll(options);
    command.addAll(List.of("config", "-q"));
    return Commands.run(Repo.root(), Map.of(), TIMEOUT, command);
  }
}
