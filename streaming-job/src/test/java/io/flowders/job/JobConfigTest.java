package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

class JobConfigTest {

  @Test
  void takesItsDefaultsFromTheSharedEnvFile() throws Exception {
    Map<String, String> file =
        JobConfig.parseEnvFile(Files.newBufferedReader(Path.of("../deploy/flowders.env")));
    JobConfig config = JobConfig.load(Map.of());
    assertThat(config.kafkaBootstrap()).isEqualTo(file.get(JobConfig.KAFKA_BOOTSTRAP));
    assertThat(config.topic()).isEqualTo(file.get(JobConfig.TOPIC));
    assertThat(config.warehouse()).isEqualTo(file.get(JobConfig.WAREHOUSE));
    assertThat(config.trigger()).isEqualTo(file.get(JobConfig.TRIGGER));
    assertThat(config.watermark())
        .isEqualTo(JobConfig.parseDuration(file.get(JobConfig.WATERMARK)));
    assertThat(config.once()).isFalse();
  }

  @Test
  void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() {
    JobConfig config =
        JobConfig.load(
            Map.of(
                JobConfig.TOPIC,
                "other",
                JobConfig.SPARK_MASTER,
                "local[1]",
                JobConfig.WATERMARK,
                "30 seconds",
                JobConfig.CHECKPOINT,
                "ckpt",
                JobConfig.HOME,
                "/srv/flowders",
                "PATH",
                "/bin"),
            "--once",
            "--master",
            "local[2]");
    assertThat(config.topic()).isEqualTo("other");
    assertThat(config.sparkMaster()).isEqualTo("local[2]");
    assertThat(config.watermark()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.checkpoint()).isEqualTo("/srv/flowders/ckpt");
    assertThat(config.once()).isTrue();
  }

  @Test
  void rejectsUnknownArgumentsWithTheUsage() {
    assertThatThrownBy(() -> JobConfig.load(Map.of(), "--onse"))
        .hasMessageContaining("unknown argument --onse")
        .hasMessageContaining("usage:");
  }

  @Test
  void parsesSparkStyleDurations() {
    assertThat(JobConfig.parseDuration("1 minute")).isEqualTo(Duration.ofMinutes(1));
    assertThat(JobConfig.parseDuration("10 seconds")).isEqualTo(Duration.ofSeconds(10));
    assertThat(JobConfig.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(JobConfig.parseDuration("500 ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(JobConfig.parseDuration("2 hours")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> JobConfig.parseDuration("soon"))
        .hasMessageContaining("not a duration");
  }

  @Test
  void keepsTheSecretOutOfItsDescription() {
    JobConfig config = JobConfig.load(Map.of());
    assertThat(config.toString()).doesNotContain(config.s3SecretKey());
  }

  @Test
  void checkedInJvmFlagsAreSparksOwn() throws Exception {
    List<String> checkedIn = Files.readAllLines(Path.of("src/main/jvm/add-opens.txt"));
    assertThat(String.join(" ", checkedIn)).isEqualTo(JavaModuleOptions.defaultModuleOptions());
  }
}
