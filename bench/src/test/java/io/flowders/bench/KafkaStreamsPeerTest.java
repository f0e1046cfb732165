package io.flowders.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class KafkaStreamsPeerTest {

  @Test
  void sumsExactlyPerCustomerAndMinuteAndDropsOrdersPastTheGrace() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "peer-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    try (TopologyTestDriver driver =
        new TopologyTestDriver(KafkaStreamsPeer.topology("orders", "totals"), props)) {
      TestInputTopic<String, byte[]> in =
          driver.createInputTopic("orders", new StringSerializer(), new ByteArraySerializer());
      TestOutputTopic<String, String> out =
          driver.createOutputTopic("totals", new StringDeserializer(), new StringDeserializer());
      Instant minute = Instant.parse("2026-11-27T02:00:00Z");
      for (int i = 0; i < 10; i++) {
        in.pipeInput("CUS_1", order("0.10"), minute.plusMillis(59_999));
      }
      in.pipeInput("CUS_1", order("5.00"), minute.plusSeconds(60));
      in.pipeInput("CUS_2", order("2.5"), minute);
      in.pipeInput("CUS_2", "not json".getBytes(UTF_8), minute);
      // Stream time moves past the first window's end + grace: a later order for it is dropped
      in.pipeInput("CUS_3", order("1"), minute.plusSeconds(121));
      in.pipeInput("CUS_2", order("100"), minute.plusSeconds(1));

      Map<String, String> totals = out.readKeyValuesToMap();
      assertThat(totals)
          .containsEntry("CUS_1@2026-11-27T02:00:00Z", "{\"orders\":10,\"amount\":\"1.00\"}")
          .containsEntry("CUS_1@2026-11-27T02:01:00Z", "{\"orders\":1,\"amount\":\"5.00\"}")
          .containsEntry("CUS_2@2026-11-27T02:00:00Z", "{\"orders\":1,\"amount\":\"2.5\"}")
          .containsEntry("CUS_3@2026-11-27T02:02:00Z", "{\"orders\":1,\"amount\":\"1\"}")
          .hasSize(4);
    }
  }

  private static byte[] order(String amount) {
    return ("{\"order_id\":1,\"customer_id\":\"C\",\"amount\":"
            + amount
            + ",\"timestamp\":\"2026-11-27T02:00:00Z\"}")
        .getBytes(UTF_8);
  }
}
