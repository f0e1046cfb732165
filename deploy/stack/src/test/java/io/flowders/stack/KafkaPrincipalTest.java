package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.KafkaClientProperties;
import io.flowders.stack.Credentials.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaPrincipalTest {

  @TempDir Path dir;

  @Test
  void eachPrincipalGetsAnOwnerOnlyScramClientConfigWithItsOwnPassword() throws Exception {
    Credentials credentials = Credentials.ensure(dir.resolve(Credentials.FILE));

    Map<KafkaPrincipal, Path> files =
        KafkaPrincipal.writeConfigs(dir.resolve("kafka"), credentials);

    assertThat(files).containsOnlyKeys(KafkaPrincipal.values());
    assertThat(files.get(KafkaPrincipal.JOB)).isEqualTo(dir.resolve("kafka/job.properties"));
    assertThat(mode(dir.resolve("kafka"))).isEqualTo("rwx------");
    Map<KafkaPrincipal, Secret> secrets =
        Map.of(
            KafkaPrincipal.ADMIN, Secret.KAFKA_ADMIN_PASSWORD,
            KafkaPrincipal.PRODUCER, Secret.KAFKA_PRODUCER_PASSWORD,
            KafkaPrincipal.JOB, Secret.KAFKA_JOB_PASSWORD);
    for (KafkaPrincipal principal : KafkaPrincipal.values()) {
      Path file = files.get(principal);
      assertThat(mode(file)).as(principal.user()).isEqualTo("rw-------");
      assertThat(KafkaClientProperties.read(file))
          .containsOnly(
              Map.entry("security.protocol", "SASL_PLAINTEXT"),
              Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
              Map.entry(
                  "sasl.jaas.config",
                  "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                      + principal.user()
                      + "\" password=\""
                      + credentials.get(secrets.get(principal))
                      + "\";"));
    }
  }

  @Test
  void aRotatedPasswordIsWrittenAtTheNextStart() throws Exception {
    Path file = dir.resolve(Credentials.FILE);
    Credentials before = Credentials.ensure(file);
    KafkaPrincipal.writeConfigs(dir, before);
    Files.writeString(
        file,
        Files.readString(file).replaceAll("(?m)^" + Secret.KAFKA_JOB_PASSWORD.key() + "=.*\n", ""));
    Credentials after = Credentials.ensure(file);

    KafkaPrincipal.writeConfigs(dir, after);

    String jaas = KafkaClientProperties.read(dir.resolve("job.properties")).get("sasl.jaas.config");
    assertThat(jaas)
        .contains(after.get(Secret.KAFKA_JOB_PASSWORD))
        .doesNotContain(before.get(Secret.KAFKA_JOB_PASSWORD));
    assertThat(mode(dir.resolve("job.properties"))).isEqualTo("rw-------");
  }

  @Test
  void theStacksReadersAreTheJobPrincipalUnlessTheEnvironmentSaysOtherwise() {
    Map<String, String> env = Map.of(StackLayout.STATE_DIR, dir.resolve("s").toString());
    StackLayout layout = new StackLayout(dir, StackConfig.load(env));
    StackLayout explicit =
        new StackLayout(
            dir,
            StackConfig.load(
                Map.of(
                    StackLayout.STATE_DIR,
                    dir.resolve("s").toString(),
                    FlowdersSettings.KAFKA_PROPERTIES.name(),
                    "/etc/kafka/reader.properties")));

    assertThat(layout.config().settings().get(FlowdersSettings.KAFKA_PROPERTIES))
        .isEqualTo(dir.resolve("s/kafka/job.properties").toString());
    assertThat(layout.kafkaClientConfig(KafkaPrincipal.ADMIN))
        .isEqualTo(dir.resolve("s/kafka/admin.properties"));
    assertThat(explicit.config().settings().get(FlowdersSettings.KAFKA_PROPERTIES))
        .isEqualTo("/etc/kafka/reader.properties");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
