package io.flowders.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkSessionsTest {

  @Test
  void theJobsUiOffersNoKillLinks() {
    Map<String, String> conf = SparkSessions.settings(JobConfig.load(Map.of()));

    assertThat(conf).containsEntry("spark.ui.killEnabled", "false");
  }

  @Test
  void onAStandaloneClusterTheDriverAuthenticatesWithTheSecret() {
    Map<String, String> conf =
        SparkSessions.settings(
            JobConfig.load(
                Map.of(
                    JobConfig.SPARK_MASTER,
                    "spark://127.0.0.1:7077",
                    JobConfig.SPARK_AUTH_SECRET,
                    "the-secret")));

    assertThat(conf)
        .containsEntry("spark.authenticate", "true")
        .containsEntry("spark.authenticate.secret", "the-secret");
  }

  @Test
  void withoutASecretOrInLocalModeNothingIsAuthenticated() {
    Map<String, String> noSecret =
        SparkSessions.settings(
            JobConfig.load(Map.of(JobConfig.SPARK_MASTER, "spark://127.0.0.1:7077")));
    Map<String, String> local =
        SparkSessions.settings(
            JobConfig.load(
                Map.of(
                    JobConfig.SPARK_MASTER,
                    "local[2]",
                    JobConfig.SPARK_AUTH_SECRET,
                    "the-secret")));

    assertThat(noSecret).doesNotContainKeys("spark.authenticate", "spark.authenticate.secret");
    assertThat(local).doesNotContainKeys("spark.authenticate", "spark.authenticate.secret");
  }

  @Test
  void theSecretStaysOutOfTheConfigsText() {
    JobConfig config = JobConfig.load(Map.of(JobConfig.SPARK_AUTH_SECRET, "the-secret"));

    assertThat(config.sparkAuthSecret()).isEqualTo("the-secret");
    assertThat(config.toString()).doesNotContain("the-secret");
  }

  @Test
  void timestampsAreUtc() {
    Map<String, String> conf = SparkSessions.settings(JobConfig.load(Map.of()));

    assertThat(conf).containsEntry("spark.sql.session.timeZone", "UTC");
  }

  @Test
  void s3aSettingsOfTheUsersSparkConfAreNotOverridden() {
    Map<String, String> given =
        Map.of(
            "spark.hadoop.fs.s3a.aws.credentials.provider",
            "com.amazonaws.auth.WebIdentityTokenCredentialsProvider",
            "spark.hadoop.fs.s3a.endpoint",
            "https://s3.eu-west-1.amazonaws.com",
            "spark.hadoop.fs.s3a.endpoint.region",
            "eu-west-1",
            "spark.hadoop.fs.s3a.path.style.access",
            "false");
    JobConfig withKeys = JobConfig.load(Map.of(JobConfig.S3_SECRET_KEY, "s3cr3t"));

    assertThat(SparkSessions.settings(withKeys))
        .containsKeys(given.keySet().toArray(String[]::new));
    assertThat(SparkSessions.settings(withKeys, given))
        .doesNotContainKeys(given.keySet().toArray(String[]::new))
        .containsKey("spark.sql.catalog.lake");
  }

  @Test
  void withoutAnS3SecretS3aKeepsItsDefaultCredentialProviders() {
    Map<String, String> keyless = SparkSessions.settings(JobConfig.load(Map.of()), Map.of());
    Map<String, String> withKeys =
        SparkSessions.settings(JobConfig.load(Map.of(JobConfig.S3_SECRET_KEY, "s3cr3t")), Map.of());

    assertThat(keyless)
        .doesNotContainKeys(
            "spark.hadoop.fs.s3a.aws.credentials.provider",
            "spark.hadoop.fs.s3a.access.key",
            "spark.hadoop.fs.s3a.secret.key");
    assertThat(withKeys)
        .containsEntry(
            "spark.hadoop.fs.s3a.aws.credentials.provider",
            "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider")
        .containsEntry("spark.hadoop.fs.s3a.secret.key", "s3cr3t");
  }

  @Test
  void anHttpsEndpointIsReachedOverTls() {
    Map<String, String> conf =
        SparkSessions.settings(
            JobConfig.load(Map.of(JobConfig.S3_ENDPOINT, "https://s3.example.test:443")));

    assertThat(conf).containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "true");
  }

  @Test
  void aDriverThatSparkSubmitLaunchedGivesItsExecutorsNoClassPath() {
    JobConfig config = JobConfig.load(Map.of(JobConfig.SPARK_MASTER, "spark://127.0.0.1:7077"));

    assertThat(SparkSessions.settings(config, Map.of()))
        .containsKey("spark.executor.extraClassPath");
    assertThat(SparkSessions.settings(config, Map.of("spark.submit.deployMode", "client")))
        .doesNotContainKey("spark.executor.extraClassPath")
        .containsEntry("spark.executor.cores", "1");
  }
}
