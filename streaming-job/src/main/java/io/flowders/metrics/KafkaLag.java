package io.flowders.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Records behind the topic's end, per partition, from what Spark's Kafka source reports in each
 * query progress: {@code endOffset} (where the batch, now committed, ended) and {@code
 * latestOffset} (the partitions' ends when the batch was planned), both {@code
 * {"topic":{"partition":offset,...}}}. No Kafka client of its own: the source already asks the
 * brokers at every trigger, and an idle query still reports every {@code
 * spark.sql.streaming.noDataProgressEventInterval} (10 s).
 */
final class KafkaLag {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A topic's partition, ordered by topic, then number. */
  record Partition(String topic, int partition) implements Comparable<Partition> {
    @Override
    public int compareTo(Partition other) {
      int byTopic = topic.compareTo(other.topic);
      return byTopic != 0 ? byTopic : Integer.compare(partition, other.partition);
    }
  }

  private KafkaLag() {}

  /**
   * {@code latest - end} for each partition of {@code latestOffset}; a partition the query has not
   * read yet counts from 0 (the job starts from the earliest offsets). Empty when either is missing
   * (not a Kafka source, or Spark did not report them).
   */
  static Map<Partition, Long> of(String endOffset, String latestOffset) {
    Map<Partition, Long> end = offsets(endOffset);
    Map<Partition, Long> latest = offsets(latestOffset);
    Map<Partition, Long> lag = new TreeMap<>();
    if (end.isEmpty()) {
      return lag;
    }
    latest.forEach(
        (partition, offset) ->
            lag.put(partition, Math.max(0, offset - end.getOrDefault(partition, 0L))));
    return lag;
  }

  private static Map<Partition, Long> offsets(String json) {
    Map<Partition, Long> offsets = new TreeMap<>();
    if (json == null || json.isBlank()) {
      return offsets;
    }
    JsonNode topics;
    try {
      topics = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return offsets;
    }
    for (Iterator<Map.Entry<String, JsonNode>> t = topics.fields(); t.hasNext(); ) {
      Map.Entry<String, JsonNode> topic = t.next();
      for (Iterator<Map.Entry<String, JsonNode>> p = topic.getValue().fields(); p.hasNext(); ) {
        Map.Entry<String, JsonNode> partition = p.next();
        if (partition.getKey().matches("[0-9]{1,9}") && partition.getValue().canConvertToLong()) {
          offsets.put(
              new Partition(topic.getKey(), Integer.parseInt(partition.getKey())),
              partition.getValue().asLong());
        }
      }
    }
    return offsets;
  }
}
