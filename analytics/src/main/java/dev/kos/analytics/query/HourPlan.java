package dev.kos.analytics.query;

import dev.kos.analytics.rollup.TimeBuckets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which rows answer a window [from, to) exactly: the whole hours inside it from {@code app_hour}, the minutes before
 * the first whole hour and after the last from {@code app_minute}. Pure; the queries read what it says.
 *
 * @param minutes windows to read from {@code app_minute} (at most two: the head and the tail)
 * @param hours the whole hours to read from {@code app_hour}, if the window holds any
 */
public record HourPlan(List<Window> minutes, Optional<Window> hours) {

  private static final long HOUR_MILLIS = 3_600_000;

  /** A half-open window [from, to). */
  public record Window(Instant from, Instant to) {
    public Window {
      if (!from.isBefore(to)) {
        throw new IllegalArgumentException("a window must end after it starts: [" + from + ", " + to + ")");
      }
    }
  }

  public HourPlan {
    minutes = List.copyOf(minutes);
  }

  /** The plan for [from, to); an empty window reads nothing. */
  public static HourPlan of(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return new HourPlan(List.of(), Optional.empty());
    }
    long fromMillis = from.toEpochMilli();
    long firstWhole = TimeBuckets.hourOf(fromMillis) == fromMillis ? fromMillis : TimeBuckets.hourOf(fromMillis) + HOUR_MILLIS;
    long endOfWhole = TimeBuckets.hourOf(to.toEpochMilli());
    if (firstWhole >= endOfWhole) {
      return new HourPlan(List.of(new Window(from, to)), Optional.empty());
    }
    Instant hoursFrom = Instant.ofEpochMilli(firstWhole);
    Instant hoursTo = Instant.ofEpochMilli(endOfWhole);
    List<Window> minutes = new ArrayList<>();
    if (from.isBefore(hoursFrom)) {
      minutes.add(new Window(from, hoursFrom));
    }
    if (hoursTo.isBefore(to)) {
      minutes.add(new Window(hoursTo, to));
    }
    return new HourPlan(minutes, Optional.of(new Window(hoursFrom, hoursTo)));
  }

  /** Where {@link #read} gets the rows of one app and one UTC day. */
  public interface Rows {

    /** The hour rows of the hours that start in the window. */
    List<AppHourRow> hours(Window window);

    /** The minute rows (every batch's) of the minutes that start in the window. */
    List<AppMinuteRow> minutes(Window window);
  }

  /**
   * Rows that together cover [from, to) (within one UTC day) exactly once, as {@link AppRollup}s that each start at
   * their minute or hour: the hour rows of the whole hours, the minute rows around them and of the whole hours that
   * have no hour row.
   */
  public static List<AppRollup> read(Instant from, Instant to, Rows rows) {
    HourPlan plan = of(from, to);
    List<Window> minuteWindows = new ArrayList<>(plan.minutes());
    List<AppRollup> read = new ArrayList<>();
    plan.hours().ifPresent(hours -> {
      List<Instant> present = new ArrayList<>();
      for (AppHourRow row : rows.hours(hours)) {
        present.add(row.hour());
        read.add(new AppRollup(row.hour(), row.counts()));
      }
      minuteWindows.addAll(missing(hours, present));
    });
    for (Window window : minuteWindows) {
      rows.minutes(window).forEach(row -> read.add(new AppRollup(row.minute(), row.counts())));
    }
    return List.copyOf(read);
  }

  /**
   * The hours of {@code hours} that have no row in {@code present}, as runs of consecutive hours: windows to read
   * from {@code app_minute} instead (an hour without a row has no lines, or was rolled up before hour rows existed).
   */
  public static List<Window> missing(Window hours, Collection<Instant> present) {
    Set<Instant> have = new TreeSet<>(present);
    List<Window> runs = new ArrayList<>();
    Instant runStart = null;
    for (Instant hour = hours.from(); hour.isBefore(hours.to()); hour = hour.plusMillis(HOUR_MILLIS)) {
      if (have.contains(hour)) {
        if (runStart != null) {
          runs.add(new Window(runStart, hour));
          runStart = null;
        }
      } else if (runStart == null) {
        runStart = hour;
      }
    }
    if (runStart != null) {
      runs.add(new Window(runStart, hours.to()));
    }
    return List.copyOf(runs);
  }
}
