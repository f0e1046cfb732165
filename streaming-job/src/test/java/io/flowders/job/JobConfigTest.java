package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowders.settings.FlowdersSettings;
import io.flowders.settings.SettingType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  @Test
  void takesItsDefaultsFromTheRegistry() {
    JobConfig config = JobConfig.load(Map.of());
    assertThat(config.kafkaBootstrap()).isEqualTo(FlowdersSettings.KAFKA_BOOTSTRAP.defaultValue());
    assertThat(config.topic()).isEqualTo(FlowdersSettings.TOPIC.defaultValue());
    assertThat(config.warehouse()).isEqualTo(FlowdersSettings.WAREHOUSE.defaultValue());
    assertThat(config.trigger())
        .isEqualTo(SettingType.duration(FlowdersSettings.TRIGGER.defaultValue()));
    assertThat(config.watermark())
        .isEqualTo(SettingType.duration(FlowdersSettings.WATERMARK.defaultValue()));
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
  void theKafkaPropertiesFileBecomesTheSourcesKafkaOptions(@TempDir Path home) throws Exception {
    Files.writeString(
        home.resolve("reader.properties"),
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"u\" password=\"p\";\n");

    JobConfig config =
        JobConfig.load(
            Map.of(
                FlowdersSettings.KAFKA_PROPERTIES.name(),
                "reader.properties",
                JobConfig.HOME,
                home.toString()));

    assertThat(config.kafkaOptions())
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry(
            "kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\""
                + " password=\"p\";")
        .hasSize(3);
    assertThat(config.toString()).doesNotContain("password");
    assertThat(JobConfig.load(Map.of()).kafkaOptions()).isEmpty();
  }

  @Test
  void rejectsUnknownArgumentsWithTheUsage() {
    assertThatThrownBy(() -> JobConfig.load(Map.of(), "--onse"))
        .hasMessageContaining("unknown argument --onse")
        .hasMessageContaining("usage:");
  }

  @Test
  void aBadTriggerFailsAtLoadNotWhenSparkStarts() {
    assertThatThrownBy(() -> JobConfig.load(Map.of(JobConfig.TRIGGER, "every now and then")))
        .hasMessageContaining(JobConfig.TRIGGER)
        .hasMessageContaining("a duration such as 10 seconds");
  }

  @Test
  void aCheckpointURIIsNotResolvedAgainstTheHome() {
    JobConfig config =
        JobConfig.load(
            Map.of(JobConfig.CHECKPOINT, "s3a://warehouse/ckpt", JobConfig.HOME, "/srv/flowders"));
    assertThat(config.checkpoint()).isEqualTo("s3a://warehouse/ckpt");
  }

  @Test
  void keepsTheSecretOutOfItsDescription() {
    JobConfig config = JobConfig.load(Map.of(JobConfig.S3_SECRET_KEY, "s3cr3t-value"));
    assertThat(config.s3SecretKey()).isEqualTo("s3cr3t-value");
    assertThat(config.toString()).doesNotContain("s3cr3t-value");
  }

  @Test
  void checkedInJvmFlagsAreSparksOwn() throws Exception {
    List<String> checkedIn = Files.readAllLines(Path.of("src/main/jvm/add-opens.txt"));
    assertThat(String.join(" ", checkedIn)).isEqualTo(JavaModuleOptions.defaultModuleOptions());
  }

  @Test
  void theSparkConfsSettingsWinOverTheEnvironmentAndFlagsOverThem() {
    Map<String, String> env =
        Map.of(JobConfig.TOPIC, "from-env", JobConfig.SPARK_MASTER, "local[1]");
    Map<String, String> sparkConf =
        Map.of(
            "spark.flowders.topic",
            "from-conf",
            "spark.flowders.maxOffsetsPerTrigger",
            "77",
            "spark.master",
            "spark://10.0.0.1:7077",
            "spark.executor.memory",
            "1g");

    JobConfig submitted = JobConfig.load(env, sparkConf);
    JobConfig flagged = JobConfig.load(env, sparkConf, "--master", "local[2]");

    assertThat(submitted.topic()).isEqualTo("from-conf");
    assertThat(submitted.maxOffsetsPerTrigger()).isEqualTo(77);
    assertThat(submitted.sparkMaster()).isEqualTo("spark://10.0.0.1:7077");
    assertThat(flagged.sparkMaster()).isEqualTo("local[2]");
  }

  @Test
  void eachSettingsConfKeyIsItsNameInCamelCase() {
    assertThat(JobConfig.confKey(FlowdersSettings.KAFKA_BOOTSTRAP))
        .isEqualTo("spark.flowders.kafkaBootstrap");
    assertThat(JobConfig.confKey(FlowdersSettings.MAX_OFFSETS_PER_TRIGGER))
        .isEqualTo("spark.flowders.maxOffsetsPerTrigger");
    assertThat(JobConfig.confKey(FlowdersSettings.S3_ENDPOINT))
        .isEqualTo("spark.flowders.s3Endpoint");
    assertThat(FlowdersSettings.ALL.stream().map(JobConfig::confKey).distinct())
        .hasSameSizeAs(FlowdersSettings.ALL)
        .noneMatch(key -> key.startsWith(JobConfig.KAFKA_CONF_PREFIX));
  }

  @Test
  void kafkaClientPropertiesOfTheSparkConfWinOverTheFile(@TempDir Path home) throws Exception {
    Files.writeString(
        home.resolve("reader.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

    JobConfig config =
        JobConfig.load(
            Map.of(
                FlowdersSettings.KAFKA_PROPERTIES.name(),
                "reader.properties",
                JobConfig.HOME,
                home.toString()),
            Map.of(
                "spark.flowders.kafka.sasl.mechanism",
                "SCRAM-SHA-512",
                "spark.flowders.kafka.ssl.truststore.location",
                "/etc/kafka/truststore.p12"));

    assertThat(config.kafkaOptions())
        .containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("kafka.ssl.truststore.location", "/etc/kafka/truststore.p12")
        .hasSize(3);
    assertThat(config.toString()).doesNotContain("/etc/kafka/truststore.p12");
  }

  @Test
  void aMisspeltSettingInTheSparkConfFails() {
    assertThatThrownBy(
            () -> JobConfig.load(Map.of(), Map.of("spark.flowders.kafkaBootstrp", "h:9")))
        .hasMessageContaining("unknown setting spark.flowders.kafkaBootstrp")
        .hasMessageContaining("spark.flowders.kafkaBootstrap");
  }
}
