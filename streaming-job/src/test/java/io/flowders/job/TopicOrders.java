package io.flowders.job;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends orders (good, duplicated, malformed) to a topic and keeps, in plain Java, what the job's
 * tables must then hold: the expected totals are computed here without Spark or the parser.
 */
final class TopicOrders implements AutoCloseable {

  /** A generated order; the JSON sent may spell the timestamp with another offset. */
  record Sent(long id, String customer, BigDecimal amount, Instant at) {}

  private final KafkaProducer<String, String> producer;
  private final String topic;
  private final Random random = new Random(42);
  private final Map<Long, Sent> unique = new LinkedHashMap<>();
  private final List<String> malformed = new ArrayList<>();
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();
  private long nextId = 1_000_000;

  TopicOrders(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    this.topic = topic;
  }

  /**
   * {@code count} new orders, one per second of event time from {@code from}, over 10 customers.
   */
  List<Sent> sendNew(int count, Instant from) {
    List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Sent order =
          new Sent(
              nextId++,
              "CUS_" + random.nextInt(10),
              BigDecimal.valueOf(1 + random.nextInt(99_999), 2),
              from.plus(Duration.ofMillis(1000L * i + random.nextInt(1000)))
                  .plusNanos(random.nextInt(1000) * 1000L));
      send(order);
      unique.put(order.id(), order);
      sent.add(order);
    }
    return sent;
  }

  /** The same records again, as a producer retry would. */
  void resend(List<Sent> orders) {
    orders.forEach(this::send);
  }

  void sendMalformed(String value) {
    malformed.add(value);
    pending.add(producer.send(new ProducerRecord<>(topic, "bad", value)));
  }

  void flush() throws ExecutionException, InterruptedException {
    producer.flush();
    for (Future<RecordMetadata> f : pending) {
      f.get();
    }
    pending.clear();
  }

  /** window_start|customer → orders|amount, as TestSpark#asMap prints the table. */
  Map<String, String> expectedTotals() {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> sums = new TreeMap<>();
    for (Sent o : unique.values()) {
      String key =
          o.at()
                  .truncatedTo(ChronoUnit.MINUTES)
                  .atOffset(ZoneOffset.UTC)
                  .toLocalDateTime()
                  .toString()
                  .replace('T', ' ')
              + ":00|"
              + o.customer();
      counts.computeIfAbsent(key, k -> new long[1])[0]++;
      sums.merge(key, o.amount(), BigDecimal::add);
    }
    Map<String, String> totals = new TreeMap<>();
    counts.forEach((key, n) -> totals.put(key, n[0] + "|" + sums.get(key).setScale(2)));
    return totals;
  }

  int uniqueOrders() {
    return unique.size();
  }

  List<String> malformed() {
    return malformed;
  }

  private void send(Sent o) {
    // Every third order spells its time with +02:00, every fifth without an offset (read as UTC).
    String at =
        o.id() % 3 == 0
            ? o.at().atOffset(ZoneOffset.ofHours(2)).toString()
            : o.id() % 5 == 0
                ? o.at().atOffset(ZoneOffset.UTC).toLocalDateTime().toString()
                : o.at().toString();
    String json =
        String.format(
            "{\"order_id\":%d,\"customer_id\":\"%s\",\"amount\":%s,\"timestamp\":\"%s\"}",
            o.id(), o.customer(), o.amount().toPlainString(), at);
    pending.add(producer.send(new ProducerRecord<>(topic, o.customer(), json)));
  }

  @Override
  public void close() {
    producer.close();
  }
}
