package dev.kos.analytics.query;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a micro-batch does to one {@code app_hour} row, decided from the row as it is (docs/analytics.md, "Hour
 * rows"). The batch's {@code app_minute} rows are written before this is decided, and batches run one after the
 * other in id order, each replayed until it commits; so a row never holds a batch later than the one deciding, and
 * holds the deciding batch only when that batch wrote it before a crash.
 */
public sealed interface HourRowUpdate {

  /** Write the row with these counts and this last batch. */
  record Write(AppCounts counts, long lastBatchId, Reason reason) implements HourRowUpdate {}

  /** Leave the row alone: it already holds this batch (a replay after a crash) or a later one. */
  record AlreadyCounted(long lastBatchId) implements HourRowUpdate {}

  enum Reason {
    /** No row yet: the sum of the hour's minute rows, the batch's own included (also hours rolled up before hour rows existed). */
    STARTED_FROM_MINUTES,
    /** The row plus what the batch counted in the hour. */
    ADDED_BATCH
  }

  /** Where the hour rows are: {@code app_hour} and {@code app_minute} for the job, a map for the tests. */
  interface Store {

    Optional<AppHourRow> read(AppHour hour);

    /** The sum of every minute row of the hour. */
    AppCounts minuteSum(AppHour hour);

    void write(AppHour hour, Write write);
  }

  /** How many hour rows a batch started, added to, and found already holding it (after a crash, on replay). */
  record Result(int started, int added, int alreadyCounted) {
    public int written() {
      return started + added;
    }
  }

  /**
   * Brings every hour that batch {@code batchId}'s minute rows touch up to date in {@code store}, one row at a time
   * (a crash between two rows leaves each row either holding the batch or not, and the replay finishes the rest).
   *
   * @param batchMinutes the batch's minute rows, already in the store's minute rows
   */
  static Result applyBatch(long batchId, Collection<AppMinuteRow> batchMinutes, Store store) {
    int started = 0;
    int added = 0;
    int already = 0;
    for (Map.Entry<AppHour, AppCounts> hour : Rollups.hourTotals(batchMinutes).entrySet()) {
      AppHour key = hour.getKey();
      HourRowUpdate update = decide(store.read(key), batchId, hour.getValue(), () -> store.minuteSum(key));
      if (update instanceof Write write) {
        store.write(key, write);
        if (write.reason() == Reason.STARTED_FROM_MINUTES) {
          started++;
        } else {
          added++;
        }
      } else {
        already++;
      }
    }
    return new Result(started, added, already);
  }

  /**
   * @param row the hour's row as read, empty if there is none
   * @param batchId the micro-batch deciding
   * @param batchCounts what that batch counted in the hour (the sum of its minute rows of the hour)
   * @param minuteRowsOfHour the sum of every minute row of the hour in the store, read only when there is no row
   */
  static HourRowUpdate decide(Optional<AppHourRow> row, long batchId, AppCounts batchCounts,
      Supplier<AppCounts> minuteRowsOfHour) {
    if (row.isEmpty()) {
      return new Write(minuteRowsOfHour.get(), batchId, Reason.STARTED_FROM_MINUTES);
    }
    AppHourRow existing = row.get();
    if (existing.lastBatchId() >= batchId) {
      return new AlreadyCounted(existing.lastBatchId());
    }
    return new Write(existing.counts().plus(batchCounts), batchId, Reason.ADDED_BATCH);
  }
}
