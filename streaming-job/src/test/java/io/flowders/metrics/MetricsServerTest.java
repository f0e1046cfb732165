package io.flowders.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheMetricsAsPrometheusTextOnLoopbackAndNothingElse() throws Exception {
    try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, () -> "a_total 1\n")) {
      HttpResponse<String> metrics = get(server.port(), "/metrics");
      HttpResponse<String> other = get(server.port(), "/");

      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(metrics.body()).isEqualTo("a_total 1\n");
      assertThat(other.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aTakenPortFailsNamingTheSetting() {
    try (MetricsServer first = MetricsServer.start("127.0.0.1", 0, () -> "")) {
      assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", first.port(), () -> ""))
          .hasMessageContaining("FLOWDERS_JOB_METRICS_PORT");
    }
  }

  @Test
  void lagCountsAPartitionNotReadYetFromZeroAndNeverBelowZero() {
    assertThat(KafkaLag.of("{\"orders\":{\"0\":10}}", "{\"orders\":{\"0\":8,\"1\":5}}"))
        .containsExactly(
            java.util.Map.entry(new KafkaLag.Partition("orders", 0), 0L),
            java.util.Map.entry(new KafkaLag.Partition("orders", 1), 5L));
    assertThat(KafkaLag.of(null, "{\"orders\":{\"0\":8}}")).isEmpty();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
