package io.flowders.compose;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/** Kafka UI's cluster as deploy/kafka/docker/kafka-ui.yml defines it (Spring Boot YAML). */
record KafkaUiConfig(
    String configImport, String bootstrapServers, Object readOnly, Map<String, Object> properties) {

  static KafkaUiConfig read() {
    Map<String, Object> root = new Yaml().load(Repo.read(Repo.KAFKA_UI_CONFIG));
    Map<String, Object> spring = map(root.get("spring"));
    List<?> clusters = (List<?>) map(root.get("kafka")).get("clusters");
    if (clusters.size() != 1) {
      throw new AssertionError(Repo.KAFKA_UI_CONFIG + " defines " + clusters.size() + " clusters");
    }
    Map<String, Object> cluster = map(clusters.get(0));
    return new KafkaUiConfig(
        (String) map(spring.get("config")).get("import"),
        (String) cluster.get("bootstrapServers"),
        cluster.get("readOnly"),
        map(cluster.get("properties")));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node) {
    return node == null ? Map.of() : (Map<String, Object>) node;
  }
}
