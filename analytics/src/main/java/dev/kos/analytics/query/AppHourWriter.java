package dev.kos.analytics.query;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.kos.analytics.rollup.TimeBuckets;
import dev.kos.analytics.store.SchemaSettings;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Optional;

/**
 * Keeps {@code app_hour} equal to the sum of {@code app_minute}: the rollup job calls it in each micro-batch after
 * that batch's minute rows are written, and {@link HourRowUpdate} decides each hour's row (a replayed batch adds
 * nothing). Reads and writes at LOCAL_QUORUM, so it sees the minute rows the Spark connector wrote (LOCAL_QUORUM by
 * default) and the hour rows of the batch before.
 */
public final class AppHourWriter implements HourRowUpdate.Store {

  private static final long HOUR_SECONDS = 3600;

  private final CqlSession session;
  private final PreparedStatement hourRow;
  private final PreparedStatement minutesOfHour;
  private final PreparedStatement writeHour;

  public AppHourWriter(CqlSession session, String keyspace) {
    SchemaSettings.requireValidKeyspace(keyspace);
    this.session = session;
    this.hourRow = session.prepare("SELECT app, hour, last_batch_id, " + RollupQueries.COUNT_COLUMNS + " FROM "
        + keyspace + ".app_hour WHERE app = ? AND day = ? AND hour = ?");
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
  public HourRowUpdate.Result apply(long batchId, Collection<AppMinuteRow> batchMinutes) {
    return HourRowUpdate.applyBatch(batchId, batchMinutes, this);
  }

  @Override
  public Optional<AppHourRow> read(AppHour hour) {
    Row row = session.execute(hourRow.bind(hour.app(), day(hour), hour.hour())
        .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)).one();
    return row == null ? Optional.empty() : Optional.of(RollupQueries.hourRow(row));
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
  public void write(AppHour hour, HourRowUpdate.Write write) {
    AppCounts c = write.counts();
    session.execute(writeHour.bind(hour.app(), day(hour), hour.hour(), write.lastBatchId(), c.lines(), c.bytes(),
        c.malformed(), c.levelError(), c.levelWarn(), c.levelInfo(), c.levelDebug(), c.levelOther(), c.streamStdout(),
        c.streamStderr(), c.streamSystem(), c.requests(), c.status2xx(), c.status3xx(), c.status4xx(), c.status5xx(),
        c.latencyHistogram()).setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM));
  }

  private static LocalDate day(AppHour hour) {
    return TimeBuckets.dayOf(hour.hour().toEpochMilli());
  }
}
