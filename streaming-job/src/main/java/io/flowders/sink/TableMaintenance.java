package io.flowders.sink;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running job's tables from growing without bound. Every trigger commits snapshots,
 * each one listed in the next metadata file, and copy-on-write merges leave replaced files behind:
 * once an hour the job expires snapshots older than an hour (keeping the last 10) and compacts the
 * orders ledger's small per-trigger files and the totals' upserts (their equality deletes applied
 * and dropped). It runs between micro-batches, so the job stays the tables' only writer (the Hadoop
 * catalog allows no other).
 */
public final class TableMaintenance {

  public static final Duration INTERVAL = Duration.ofHours(1);
  static final int SNAPSHOTS_KEPT = 10;
  private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

  private final IcebergTables tables;
  private final Clock clock;
  private Instant last;

  public TableMaintenance(IcebergTables tables, Clock clock) {
    this.tables = tables;
    this.clock = clock;
    this.last = clock.instant();
  }

  /** Runs the maintenance when {@link #INTERVAL} has passed since the last run (or the start). */
  public boolean runIfDue(SparkSession spark) {
    Instant now = clock.instant();
    if (Duration.between(last, now).compareTo(INTERVAL) < 0) {
      return false;
    }
    run(spark, now.minus(INTERVAL));
    last = now;
    return true;
  }

  void run(SparkSession spark, Instant expireBefore) {
    long started = System.nanoTime();
    spark.sql(
        "CALL "
            + IcebergTables.CATALOG
            + ".system.rewrite_data_files(table => '"
            + inCatalog(tables.orders())
            + "')");
    // Applies the totals' equality deletes and drops them once no data file needs them.
    spark.sql(
        "CALL "
            + IcebergTables.CATALOG
            + ".system.rewrite_data_files(table => '"
            + inCatalog(tables.totals())
            + "', options => map('delete-file-threshold', '1',"
            + " 'remove-dangling-deletes', 'true'))");
    for (String table : tables.all()) {
      spark.sql(
          "CALL "
              + IcebergTables.CATALOG
              + ".system.expire_snapshots(table => '"
              + inCatalog(table)
              + "', older_than => TIMESTAMP '"
              + expireBefore
              + "', retain_last => "
              + SNAPSHOTS_KEPT
              + ")");
    }
    LOG.info(
        "table maintenance (compaction, snapshots before {} expired) took {} s",
        expireBefore,
        String.format("%.1f", (System.nanoTime() - started) / 1e9));
  }

  private static String inCatalog(String table) {
    return table.substring(IcebergTables.CATALOG.length() + 1);
  }
}
