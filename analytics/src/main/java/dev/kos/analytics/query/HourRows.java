package dev.kos.analytics.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What a micro-batch does to {@code app_hour} (docs/analytics.md, "Hour rows"): after its minute rows are written,
 * it rewrites the row of every app and hour those minute rows fall in as the sum of ALL that hour's minute rows. An
 * hour row is therefore a function of the minute rows, which are exactly once: a replayed batch writes the same
 * rows again, and an hour row a crash lost or left behind is put right by the next batch that touches its hour.
 */
public final class HourRows {

  /** Where the rows are: {@code app_minute} and {@code app_hour} for the job, maps for the tests. */
  public interface Store {

    /** The sum of every minute row (every batch's) of the hour. */
    AppCounts minuteSum(AppHour hour);

    /** Writes the row whole, replacing the hour's row if there is one. */
    void write(AppHourRow row);
  }

  private HourRows() {}

  /**
   * Rewrites the hour rows of the hours {@code batchMinutes} fall in, one at a time, by app then hour.
   *
   * @param batchMinutes the batch's minute rows, already in the store's minute rows
   * @return the rows written
   */
  public static List<AppHourRow> applyBatch(long batchId, Collection<AppMinuteRow> batchMinutes, Store store) {
    List<AppHourRow> written = new ArrayList<>();
    for (AppHour hour : Rollups.hourTotals(batchMinutes).keySet()) {
      AppHourRow row = new AppHourRow(hour.app(), hour.hour(), batchId, store.minuteSum(hour));
      store.write(row);
      written.add(row);
    }
    return List.copyOf(written);
  }
}
