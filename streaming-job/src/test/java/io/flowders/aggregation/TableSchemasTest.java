package io.flowders.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.iceberg.spark.SparkSchemaUtil;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Tables created by earlier versions, from these column lists, must keep working: the schemas the
 * DDL is now generated from have the same columns, types and order.
 */
class TableSchemasTest {

  @Test
  void totalsHaveTheColumnsExistingTablesWereCreatedWithTheirAmountWidened() {
    assertThat(SparkSchemaUtil.convert(TableSchemas.TOTALS))
        .isEqualTo(
            StructType.fromDDL(
                "window_start timestamp, window_end timestamp, customer_id string,"
                    + " client_orders bigint, client_amount decimal(38,2), updated_at timestamp"));
  }

  @Test
  void rejectedOrdersHaveTheColumnsExistingTablesWereCreatedWith() {
    assertThat(SparkSchemaUtil.convert(TableSchemas.REJECTED))
        .isEqualTo(
            StructType.fromDDL(
                "raw_value string, reason string, kafka_topic string, kafka_partition int,"
                    + " kafka_offset bigint, kafka_timestamp timestamp, rejected_at timestamp"));
  }

  @Test
  void theLedgerHasTheColumnsExistingTablesWereCreatedWith() {
    assertThat(SparkSchemaUtil.convert(TableSchemas.ORDERS))
        .isEqualTo(
            StructType.fromDDL(
                "order_id bigint, customer_id string, amount decimal(18,2), order_ts timestamp,"
                    + " window_start timestamp, kafka_topic string, kafka_partition int,"
                    + " kafka_offset bigint, ingested_at timestamp"));
  }
}
