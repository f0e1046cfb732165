package io.flowders.orders;

import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;

/**
 * Leaves retrying to the Kafka producer alone.
 *
 * <p>The channel sets {@code retries=0} so that the connector does not re-send failed records
 * itself: such a re-send is a new record to Kafka (a duplicate if the first attempt landed after
 * all), and the connector wraps every single message in a retry pipeline, which cost about 3 KB per
 * in-flight order and most of the producer's GC at full rate. The connector hands the same
 * attribute to Kafka, whose idempotent producer must retry; removing it restores Kafka's default
 * (retry until {@code delivery.timeout.ms}, in order, without duplicates).
 */
@ApplicationScoped
public class KafkaRetries implements ClientCustomizer<Map<String, Object>> {

  static final String CHANNEL = "orders";

  @Override
  public Map<String, Object> customize(
      String channel, Config channelConfig, Map<String, Object> config) {
    if (CHANNEL.equals(channel)) {
      config.remove(ProducerConfig.RETRIES_CONFIG);
    }
    return config;
  }
}
