package io.flowders.stack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedFixturesIT {

  @Test
  void sharedKafkaIsStartedOnceWithTheOrdersTopic() {
    KafkaCluster kafka = KafkaCluster.shared();

    assertThat(KafkaCluster.shared()).isSameAs(kafka);
    assertThat(kafka.partitions("orders")).hasSize(10);
    assertThat(kafka.nodeIds()).allSatisfy(id -> assertThat(kafka.isRunning(id)).isTrue());
  }

  @Test
  void sharedS3ServerIsStartedOnceWithTheWarehouseBucket() {
    S3Server s3 = S3Server.shared();

    assertThat(S3Server.shared()).isSameAs(s3);
    assertThat(s3.request("GET", "/").body()).contains("<Name>warehouse</Name>");
  }
}
