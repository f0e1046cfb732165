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
  void timestampsAreUtc() {
    Map<String, String> conf = SparkSessions.settings(JobConfig.load(Map.of()));

    assertThat(conf).containsEntry("spark.sql.session.timeZone", "UTC");
  }
}
