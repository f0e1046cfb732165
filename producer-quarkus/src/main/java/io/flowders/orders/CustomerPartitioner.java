package io.flowders.orders;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * Sends customer {@code CUS_n} to partition {@code (n - 1) mod partitions}.
 *
 * <p>Kafka's default murmur2 hash crowds a handful of short keys such as {@code CUS_1..CUS_10} into
 * a few partitions; numbering them round-robin gives each customer a partition of its own while
 * customers &le; partitions, and an even spread (within one customer) beyond. Keys outside the
 * scheme are hashed exactly like the default partitioner does.
 */
public class CustomerPartitioner implements Partitioner {

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    return partition(key, keyBytes, cluster.partitionsForTopic(topic).size());
  }

  static int partition(Object key, byte[] keyBytes, int partitions) {
    int customer = key instanceof String id ? Customers.number(id) : -1;
    if (customer > 0) {
      return (customer - 1) % partitions;
    }
    if (keyBytes != null) {
      return Utils.toPositive(Utils.murmur2(keyBytes)) % partitions;
    }
    return ThreadLocalRandom.current().nextInt(partitions);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
