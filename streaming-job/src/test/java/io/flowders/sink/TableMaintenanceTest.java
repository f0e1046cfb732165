package io.flowders.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class TableMaintenanceTest {

  private final SparkSession spark = TestSpark.session();

  @Test
  void expiresOldSnapshotsAndCompactsTheLedgerWithoutChangingARow() throws Exception {
    IcebergTables tables = TestSpark.freshTables();
    tables.createIfMissing(spark);
    int appends = TableMaintenance.SNAPSHOTS_KEPT + 5;
    for (int i = 0; i < appends; i++) {
      spark.sql(
          "INSERT INTO "
              + tables.orders()
              + " VALUES ("
              + i
              + ", 'CUS_1', 1.00,"
              + " TIMESTAMP '2025-09-22 19:27:00', TIMESTAMP '2025-09-22 19:27:00', 'orders', 0, "
              + i
              + ", current_timestamp())");
    }
    assertThat(spark.table(tables.orders() + ".files").count()).isEqualTo(appends);

    new TableMaintenance(tables, Clock.systemUTC()).run(spark, Instant.now());

    assertThat(spark.table(tables.orders()).count()).isEqualTo(appends);
    assertThat(spark.table(tables.orders() + ".files").count()).isEqualTo(1);
    assertThat(spark.table(tables.orders() + ".snapshots").count())
        .isEqualTo(TableMaintenance.SNAPSHOTS_KEPT);
  }

  @Test
  void runsOncePerIntervalOnly() {
    IcebergTables tables = TestSpark.freshTables();
    tables.createIfMissing(spark);
    Instant start = Instant.parse("2025-09-22T19:00:00Z");
    TableMaintenance early = new TableMaintenance(tables, Clock.fixed(start, ZoneOffset.UTC));
    assertThat(early.runIfDue(spark)).isFalse();
    TableMaintenance due =
        new TableMaintenance(
            tables,
            new Clock() {
              private int calls;

              @Override
              public Instant instant() {
                return calls++ == 0 ? start : start.plus(TableMaintenance.INTERVAL);
              }

              @Override
              public ZoneOffset getZone() {
                return ZoneOffset.UTC;
              }

              @Override
              public Clock withZone(java.time.ZoneId zone) {
                return this;
              }
            });
    assertThat(due.runIfDue(spark)).isTrue();
    assertThat(due.runIfDue(spark)).isFalse();
  }
}
