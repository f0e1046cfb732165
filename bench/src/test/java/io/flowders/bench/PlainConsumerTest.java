package io.flowders.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlainConsumerTest {

  @Test
  void sumsExactlyPerCustomerAndMinute() throws Exception {
    PlainConsumer plain = new PlainConsumer();
    for (int i = 0; i < 10; i++) {
      plain.add(
          ("{\"order_id\":"
                  + i
                  + ",\"customer_id\":\"CUS_1\",\"amount\":0.10,\"timestamp\":\"2026-11-27T02:00:59.999999Z\"}")
              .getBytes(UTF_8));
    }
    plain.add(
        "{\"order_id\":11,\"customer_id\":\"CUS_1\",\"amount\":5.00,\"timestamp\":\"2026-11-27T02:01:00Z\"}"
            .getBytes(UTF_8));
    plain.add(
        "{\"order_id\":12,\"customer_id\":\"CUS_2\",\"amount\":2.5,\"timestamp\":\"2026-11-27T02:00:00Z\"}"
            .getBytes(UTF_8));

    assertThat(plain.keys()).isEqualTo(3);
    assertThat(plain.amount()).isEqualByComparingTo("8.50");
  }
}
