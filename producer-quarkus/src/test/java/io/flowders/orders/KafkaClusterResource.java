package io.flowders.orders;

import io.flowders.stack.KafkaCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * The real 3-node KRaft cluster of flowders-stack, shared by every test of this JVM (its {@code
 * orders} topic: 10 partitions, RF 3, min.insync.replicas 2), stopped when the JVM exits.
 */
public class KafkaClusterResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    return Map.of("kafka.bootstrap.servers", KafkaCluster.shared().bootstrapServers());
  }

  @Override
  public void stop() {}
}
