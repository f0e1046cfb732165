package io.flowders.metrics;

import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Hands the Kafka source's offsets of each progress of one query (by name) to {@link JobMetrics}.
 */
public final class ProgressListener extends StreamingQueryListener {

  private final String queryName;
  private final JobMetrics metrics;

  public ProgressListener(String queryName, JobMetrics metrics) {
    this.queryName = queryName;
    this.metrics = metrics;
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    if (!queryName.equals(event.progress().name())) {
      return;
    }
    for (SourceProgress source : event.progress().sources()) {
      metrics.offsets(source.endOffset(), source.latestOffset());
    }
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}
}
