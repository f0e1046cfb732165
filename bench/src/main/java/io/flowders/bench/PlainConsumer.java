package io.flowders.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowders.settings.KafkaClientProperties;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The practical limit of this machine for the job's work: one JVM, one consumer, the JSON parsed
 * and summed per customer and minute in a hash map, exactly (BigDecimal). No dedup, no durability,
 * no parallelism: a ceiling, not a competitor. Usage: PlainConsumer BOOTSTRAP TOPIC
 * [CLIENT_PROPERTIES] (the Kafka client config file of the reading principal); prints one JSON line
 * {@code {"records":N,"seconds":S,"keys":K,"amount":"A"}}.
 */
public final class PlainConsumer {

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Map<Long, Totals>> totals = new HashMap<>();

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: PlainConsumer BOOTSTRAP TOPIC [CLIENT_PROPERTIES]");
      System.exit(2);
    }
    Properties props = new Properties();
    if (args.length == 3) {
      props.putAll(KafkaClientProperties.read(Path.of(args[2])));
    }
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
    PlainConsumer plain = new PlainConsumer();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(args[1]).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long expected = end.values().stream().mapToLong(Long::longValue).sum();
      long records = 0;
      long started = System.nanoTime();
      while (records < expected) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofSeconds(5));
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          plain.add(record.value());
        }
        records += batch.count();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.println(
          new ObjectMapper()
              .createObjectNode()
              .put("records", records)
              .put("seconds", seconds)
              .put("keys", plain.keys())
              .put("amount", plain.amount().toPlainString()));
    }
  }

  void add(byte[] value) throws IOException {
    String customer = null;
    BigDecimal amount = null;
    Instant timestamp = null;
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "customer_id" -> customer = parser.getText();
          case "amount" -> amount = parser.getDecimalValue();
          case "timestamp" -> timestamp = Instant.parse(parser.getText());
          default -> parser.skipChildren();
        }
      }
    }
    if (customer == null || amount == null || timestamp == null) {
      return;
    }
    long minute = timestamp.getEpochSecond() / 60;
    totals
        .computeIfAbsent(customer, c -> new HashMap<>())
        .computeIfAbsent(minute, m -> new Totals())
        .add(amount);
  }

  long keys() {
    return totals.values().stream().mapToLong(Map::size).sum();
  }

  BigDecimal amount() {
    return totals.values().stream()
        .flatMap(m -> m.values().stream())
        .map(t -> t.amount)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static final class Totals {
    long orders;
    BigDecimal amount = BigDecimal.ZERO;

    void add(BigDecimal value) {
      orders++;
      amount = amount.add(value);
    }
  }
}
