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
}
