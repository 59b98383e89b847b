package dev.kos.frameworks.jobs.core;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Optional;

/**
 * A five-field cron expression evaluated in UTC: minute (0-59), hour (0-23), day of month (1-31),
 * month (1-12), day of week (0-7, 0 and 7 are Sunday). Each field is {@code *} or a comma-separated list of
 * values {@code 5}, ranges {@code 1-5} and steps {@code *}{@code /15}, {@code 0-30/10} or {@code 5/20}
 * (from 5 to the field's end). As in Vixie cron, when both day fields are restricted a day matching
 * either one fires; names (JAN, MON) are not supported.
 */
public final class CronSchedule implements Schedule {

  /**
   * A cron expression that matches no date in this many years never will (Feb 30 and the like): the calendar's
   * weekdays repeat every 28 years between century years, so a day of a month (29 February included) falls on each
   * weekday within 28 years, and a day on a given weekday (4 September on a Sunday) can be 11 years away.
   * The search skips a whole day at a time, so 28 years are about 10,000 steps.
   */
  private static final int SEARCH_YEARS = 28;

  private static final Field MINUTE = new Field("minute", 0, 59);
  private static final Field HOUR = new Field("hour", 0, 23);
  private static final Field DAY = new Field("day of month", 1, 31);
  private static final Field MONTH = new Field("month", 1, 12);
  private static final Field WEEKDAY = new Field("day of week", 0, 7);

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet days;
  private final BitSet months;
  private final BitSet weekdays;
  private final boolean daysRestricted;
  private final boolean weekdaysRestricted;

  private CronSchedule(String text, BitSet minutes, BitSet hours, BitSet days, BitSet months, BitSet weekdays,
      boolean daysRestricted, boolean weekdaysRestricted) {
    this.text = text;
    this.minutes = minutes;
    this.hours = hours;
    this.days = days;
    this.months = months;
    this.weekdays = weekdays;
    this.daysRestricted = daysRestricted;
    this.weekdaysRestricted = weekdaysRestricted;
  }

  static CronSchedule parse(String text) {
    String[] fields = text.isBlank() ? new String[0] : text.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException("'" + text + "' has " + fields.length + " fields; a cron expression has 5"
          + " (minute hour day-of-month month day-of-week, e.g. '*/15 * * * *'), or use '@every 30s'");
    }
    BitSet weekdays = WEEKDAY.parse(fields[4], text);
    if (weekdays.get(7)) {
      weekdays.clear(7);
      weekdays.set(0);
    }
    return new CronSchedule(text, MINUTE.parse(fields[0], text), HOUR.parse(fields[1], text),
        DAY.parse(fields[2], text), MONTH.parse(fields[3], text), weekdays,
        !fields[2].startsWith("*"), !fields[4].startsWith("*"));
  }

  @Override
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public Optional<Instant> nextAfter(Instant time) {
    LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).withHour(0).withMinute(0).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.withHour(0).withMinute(0).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.withMinute(0).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  private boolean dayMatches(LocalDateTime t) {
    boolean day = days.get(t.getDayOfMonth());
    boolean weekday = weekdays.get(t.getDayOfWeek().getValue() % 7);
    if (daysRestricted && weekdaysRestricted) {
      return day || weekday;
    }
    return day && weekday;
  }

  private record Field(String name, int min, int max) {

    BitSet parse(String field, String expression) {
      BitSet values = new BitSet(max + 1);
      for (String item : field.split(",", -1)) {
        parseItem(item, expression, values);
      }
      return values;
    }

    private void parseItem(String item, String expression, BitSet values) {
      String[] stepped = item.split("/", -1);
      if (stepped.length > 2) {
        throw problem(item, expression, "has more than one '/'");
      }
      int step = stepped.length == 2 ? number(stepped[1], item, expression) : 1;
      if (step < 1) {
        throw problem(item, expression, "has step 0; a step is at least 1");
      }
      String range = stepped[0];
      int from;
      int to;
      if (range.equals("*")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        String[] bounds = range.split("-", -1);
        if (bounds.length != 2) {
          throw problem(item, expression, "is not a range a-b");
        }
        from = value(bounds[0], item, expression);
        to = value(bounds[1], item, expression);
        if (from > to) {
          throw problem(item, expression, "is a range that runs backwards");
        }
      } else {
        from = value(range, item, expression);
        to = stepped.length == 2 ? max : from;
      }
      for (int v = from; v <= to; v += step) {
        values.set(v);
      }
    }

    private int value(String text, String item, String expression) {
      int value = number(text, item, expression);
      if (value < min || value > max) {
        throw problem(item, expression, "is out of range " + min + "-" + max);
      }
      return value;
    }

    private int number(String text, String item, String expression) {
      if (!text.matches("\\d{1,4}")) {
        throw problem(item, expression, "is not a number, '*', a list, a range a-b or a step x/n");
      }
      return Integer.parseInt(text);
    }

    private IllegalArgumentException problem(String item, String expression, String what) {
      return new IllegalArgumentException("'" + expression + "': " + name + " field '" + item + "' " + what);
    }
  }
}
