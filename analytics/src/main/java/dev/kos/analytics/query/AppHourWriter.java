package dev.kos.analytics.query;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.kos.analytics.rollup.TimeBuckets;
import dev.kos.analytics.store.SchemaSettings;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;

/**
 * Keeps {@code app_hour} equal to the sum of {@code app_minute}: the rollup job calls it in each micro-batch after
 * that batch's minute rows are written, and each hour the batch touched is rewritten from its minute rows
 * ({@link HourRows}). Reads and writes at LOCAL_QUORUM, so it sees the minute rows the Spark connector wrote
 * (LOCAL_QUORUM by default).
 */
public final class AppHourWriter implements HourRows.Store {

  private static final long HOUR_SECONDS = 3600;

  private final CqlSession session;
  private final PreparedStatement minutesOfHour;
  private final PreparedStatement writeHour;

  public AppHourWriter(CqlSession session, String keyspace) {
    SchemaSettings.requireValidKeyspace(keyspace);
    this.session = session;
    this.minutesOfHour = session.prepare("SELECT " + RollupQueries.COUNT_COLUMNS + " FROM " + keyspace
        + ".app_minute WHERE app = ? AND day = ? AND minute >= ? AND minute < ?");
    this.writeHour = session.prepare("INSERT INTO " + keyspace + ".app_hour (app, day, hour, last_batch_id, "
        + RollupQueries.COUNT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  }

  /**
   * Brings every hour that batch {@code batchId}'s minute rows touch up to date.
   *
   * @param batchMinutes the batch's minute rows, already written to {@code app_minute}
   */
  public List<AppHourRow> apply(long batchId, Collection<AppMinuteRow> batchMinutes) {
    return HourRows.applyBatch(batchId, batchMinutes, this);
  }

  @Override
  public AppCounts minuteSum(AppHour hour) {
    AppCounts sum = AppCounts.ZERO;
    for (Row row : session.execute(minutesOfHour.bind(hour.app(), day(hour), hour.hour(),
        hour.hour().plusSeconds(HOUR_SECONDS)).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM))) {
      sum = sum.plus(RollupQueries.counts(row));
    }
    return sum;
  }

  @Override
  public void write(AppHourRow row) {
    AppCounts c = row.counts();
    AppHour hour = new AppHour(row.app(), row.hour());
    session.execute(writeHour.bind(row.app(), day(hour), row.hour(), row.lastBatchId(), c.lines(), c.bytes(),
        c.malformed(), c.levelError(), c.levelWarn(), c.levelInfo(), c.levelDebug(), c.levelOther(), c.streamStdout(),
        c.streamStderr(), c.streamSystem(), c.requests(), c.status2xx(), c.status3xx(), c.status4xx(), c.status5xx(),
        c.latencyHistogram()).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
  }

  private static LocalDate day(AppHour hour) {
    return TimeBuckets.dayOf(hour.hour().toEpochMilli());
  }
}
