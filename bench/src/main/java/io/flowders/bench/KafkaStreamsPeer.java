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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * A peer of the job in the bench: the per-customer, per-minute totals as Kafka Streams computes
 * them, the way its documentation writes a windowed aggregation: 1-minute tumbling windows with 1
 * minute of grace, {@code exactly_once_v2}, JSON in, totals out to a topic, one stream thread per
 * core. Event time is the record's timestamp, which the producer sets to the order's; the key is
 * the customer id, as the producer keys every order, so no repartition is needed.
 *
 * <p>Usage: KafkaStreamsPeer BOOTSTRAP TOPIC CLIENT_PROPERTIES APPLICATION_ID STATE_DIR. The client
 * config must allow creating topics and transactions (the bench passes the admin's). Prints one
 * JSON line {@code {"records":N,"seconds":S}} once the committed offsets of the application reach
 * the topic's end, then removes its output and internal topics.
 */
public final class KafkaStreamsPeer {

  static final Duration WINDOW = Duration.ofMinutes(1);
  static final Duration GRACE = Duration.ofMinutes(1);
  static final String STORE = "customer-minute-totals";
  private static final JsonFactory JSON = new JsonFactory();
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private KafkaStreamsPeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: KafkaStreamsPeer BOOTSTRAP TOPIC CLIENT_PROPERTIES APPLICATION_ID STATE_DIR");
      System.exit(2);
    }
    String topic = args[1];
    String application = args[3];
    String output = application + "-totals";
    Map<String, Object> client = new HashMap<>(KafkaClientProperties.read(Path.of(args[2])));
    client.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    try (Admin admin = Admin.create(client)) {
      Map<TopicPartition, Long> end = endOffsets(admin, topic);
      admin
          .createTopics(List.of(new NewTopic(output, Optional.of(end.size()), Optional.empty())))
          .all()
          .get();
      Properties props = new Properties();
      props.putAll(client);
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, application);
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      props.put(
          StreamsConfig.NUM_STREAM_THREADS_CONFIG, Runtime.getRuntime().availableProcessors());
      props.put(StreamsConfig.STATE_DIR_CONFIG, args[4]);
      props.put("auto.offset.reset", "earliest");
      long started = System.nanoTime();
      try (KafkaStreams streams = new KafkaStreams(topology(topic, output), props)) {
        streams.start();
        long deadline = started + TIMEOUT.toNanos();
        while (!committedToEnd(admin, application, end)) {
          if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
            throw new IllegalStateException(
                "Kafka Streams did not commit to the end of " + topic + ": " + streams.state());
          }
          Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        streams.close(Duration.ofSeconds(30));
        System.out.println(
            new ObjectMapper()
                .createObjectNode()
                .put("records", end.values().stream().mapToLong(Long::longValue).sum())
                .put("seconds", seconds));
      } finally {
        deleteTopicsOf(admin, application);
      }
    }
  }

  /** Orders keyed by customer, summed per 1-minute window; the totals go to {@code output}. */
  static Topology topology(String topic, String output) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(topic, Consumed.with(Serdes.String(), Serdes.ByteArray()))
        .filter((customer, order) -> customer != null)
        .mapValues(KafkaStreamsPeer::amount)
        .filter((customer, amount) -> amount != null)
        .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE))
        .aggregate(
            () -> "0 0",
            (customer, amount, totals) -> add(totals, amount),
            Materialized.<String, String, WindowStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.String()))
        .toStream()
        .map(
            (window, totals) ->
                KeyValue.pair(window.key() + "@" + window.window().startTime(), json(totals)))
        .to(output, Produced.with(Serdes.String(), Serdes.String()));
    return builder.build();
  }

  /** The order's amount as written in its JSON, or null when it has none. */
  static String amount(byte[] order) {
    try (JsonParser parser = JSON.createParser(order)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("amount")) {
          JsonToken value = parser.currentToken();
          return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT
              ? parser.getText()
              : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Totals are "ORDERS AMOUNT": a string serde, exact, readable with the console consumer. */
  static String add(String totals, String amount) {
    int space = totals.indexOf(' ');
    long orders = Long.parseLong(totals, 0, space, 10) + 1;
    BigDecimal sum = new BigDecimal(totals.substring(space + 1)).add(new BigDecimal(amount));
    return orders + " " + sum.toPlainString();
  }

  private static String json(String totals) {
    int space = totals.indexOf(' ');
    return "{\"orders\":"
        + totals.substring(0, space)
        + ",\"amount\":\""
        + totals.substring(space + 1)
        + "\"}";
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    TopicDescription description =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    Map<TopicPartition, OffsetSpec> latest =
        description.partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static boolean committedToEnd(Admin admin, String group, Map<TopicPartition, Long> end)
      throws ExecutionException, InterruptedException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    return end.entrySet().stream()
        .allMatch(
            e -> {
              OffsetAndMetadata c = committed.get(e.getKey());
              return c != null && c.offset() >= e.getValue();
            });
  }

  /** Its output topic and the changelog Kafka Streams made: all named after the application. */
  private static void deleteTopicsOf(Admin admin, String application)
      throws ExecutionException, InterruptedException {
    List<String> own =
        admin.listTopics().names().get().stream().filter(t -> t.startsWith(application)).toList();
    admin.deleteTopics(own).all().get();
  }
}
