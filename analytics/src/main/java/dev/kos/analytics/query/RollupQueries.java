package dev.kos.analytics.query;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.kos.analytics.rollup.TimeBuckets;
import dev.kos.analytics.store.SchemaSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The queries users run on the rollups. Every query reads whole partitions' slices ({@code app} or
 * {@code role} plus one day), never scans, and adds up the rows in {@link Rollups}.
 * Windows are half-open, [from, to), at minute resolution. Whole hours of a window are read from
 * {@code app_hour} (one row an hour), the minutes around them from {@code app_minute} ({@link HourPlan}); an hour
 * without an hour row is read from its minutes, so the answer is the same either way.
 */
public final class RollupQueries {

  static final String COUNT_COLUMNS = "lines, bytes, malformed, level_error, level_warn, "
      + "level_info, level_debug, level_other, stream_stdout, stream_stderr, stream_system, requests, "
      + "status_2xx, status_3xx, status_4xx, status_5xx, latency_hist";
  private static final String APP_COLUMNS = "app, minute, batch_id, " + COUNT_COLUMNS;

  private final CqlSession session;
  private final PreparedStatement appMinutes;
  private final PreparedStatement appHours;
  private final PreparedStatement appsOfDay;
  private final PreparedStatement appOfDay;
  private final PreparedStatement roleMinutes;
  private final String keyspace;
  // Prepared on first use: a keyspace made before agent_days existed still answers the app queries.
  private PreparedStatement agentDays;
  private PreparedStatement agentMinutes;

  public RollupQueries(CqlSession session, String keyspace) {
    SchemaSettings.requireValidKeyspace(keyspace);
    this.session = session;
    this.keyspace = keyspace;
    this.appMinutes = session.prepare("SELECT " + APP_COLUMNS + " FROM " + keyspace + ".app_minute"
        + " WHERE app = ? AND day = ? AND minute >= ? AND minute < ?");
    this.appHours = session.prepare("SELECT app, hour, last_batch_id, " + COUNT_COLUMNS + " FROM " + keyspace
        + ".app_hour WHERE app = ? AND day = ? AND hour >= ? AND hour < ?");
    this.appsOfDay = session.prepare("SELECT app FROM " + keyspace + ".app_days WHERE day = ?");
    this.appOfDay = session.prepare("SELECT app FROM " + keyspace + ".app_days WHERE day = ? AND app = ?");
    this.roleMinutes = session.prepare("SELECT agent, samples, cpu_sum, cpu_max, mem_sum, mem_max FROM " + keyspace
        + ".agent_minute WHERE role = ? AND day = ? AND minute >= ? AND minute < ?");
  }

  /** The app's rollup over [from, to) by minute or hour, oldest first. */
  public List<AppRollup> rollup(String app, Instant from, Instant to, Granularity granularity) {
    if (granularity == Granularity.MINUTE) {
      return Rollups.byBucket(appMinuteRows(app, from, to), Granularity.MINUTE);
    }
    return Rollups.merged(appRows(app, from, to), Granularity.HOUR);
  }

  /** The apps with the highest totals of {@code metric} over [since, to). */
  public List<AppTotal> top(Metric metric, Instant since, Instant to, int limit) {
    Map<String, AppCounts> totals = new TreeMap<>();
    for (LocalDate day : days(since, to)) {
      for (Row row : session.execute(appsOfDay.bind(day))) {
        String app = row.getString("app");
        AppCounts dayTotal = Rollups.totalOf(appRowsOfDay(app, day, since, to));
        totals.merge(app, dayTotal, AppCounts::plus);
      }
    }
    return Rollups.top(totals, metric, limit);
  }

  /** Requests, status classes and latency percentiles of the app over [from, to). */
  public HttpSummary http(String app, Instant from, Instant to) {
    return HttpSummary.of(app, from, to, Rollups.totalOf(appRows(app, from, to)));
  }

  /** Whether the rollup job saw lines of the app on any UTC day [from, to) touches ({@code app_days}). */
  public boolean hasRollups(String app, Instant from, Instant to) {
    for (LocalDate day : days(from, to)) {
      if (session.execute(appOfDay.bind(day, app)).one() != null) {
        return true;
      }
    }
    return false;
  }

  /** CPU and memory of the role's tasks per agent over [from, to), by agent name. */
  public List<AgentUsage> roleUsage(String role, Instant from, Instant to) {
    Map<String, AgentUsage> byAgent = new TreeMap<>();
    for (LocalDate day : days(from, to)) {
      for (Row row : session.execute(roleMinutes.bind(role, day, from, to))) {
        String agent = row.getString("agent");
        AgentUsage partial = new AgentUsage(role, agent, row.getLong("samples"), row.getDouble("cpu_sum"),
            row.getDouble("cpu_max"), row.getDouble("mem_sum"), row.getDouble("mem_max"));
        byAgent.merge(agent, partial, AgentUsage::plus);
      }
    }
    return List.copyOf(byAgent.values());
  }

  /**
   * One agent's task usage over [from, to) per minute or hour, oldest first, each bucket with its roles: the
   * {@code agent_minute} rows of the agent's roles of each day ({@code agent_days}; {@link AgentUsagePlan}). Hours are
   * the sums of their minute rows (agent usage has no hour rows).
   */
  public List<AgentUsageBucket> agentUsage(String agent, Instant from, Instant to, Granularity granularity) {
    return AgentUsagePlan.byBucket(agentRows(agent, from, to), granularity);
  }

  /** Whether the rollup job saw samples of the agent's tasks on any UTC day [from, to) touches ({@code agent_days}). */
  public boolean hasAgentUsage(String agent, Instant from, Instant to) {
    return !rolesByDay(agent, from, to).isEmpty();
  }

  private List<AgentUsageRow> agentRows(String agent, Instant from, Instant to) {
    prepareAgentStatements();
    List<AgentUsageRow> rows = new ArrayList<>();
    for (AgentUsagePlan.Slice slice : AgentUsagePlan.slices(rolesByDay(agent, from, to), from, to)) {
      for (Row row : session.execute(agentMinutes.bind(slice.role(), slice.day(), slice.from(), slice.to(), agent))) {
        rows.add(new AgentUsageRow(row.getInstant("minute"), row.getLong("batch_id"), new AgentUsage(slice.role(),
            agent, row.getLong("samples"), row.getDouble("cpu_sum"), row.getDouble("cpu_max"),
            row.getDouble("mem_sum"), row.getDouble("mem_max"))));
      }
    }
    return rows;
  }

  private Map<LocalDate, SortedSet<String>> rolesByDay(String agent, Instant from, Instant to) {
    prepareAgentStatements();
    Map<LocalDate, SortedSet<String>> roles = new TreeMap<>();
    List<LocalDate> days = days(from, to);
    if (days.isEmpty()) {
      return roles;
    }
    for (Row row : session.execute(agentDays.bind(agent, days.get(0), days.get(days.size() - 1)))) {
      roles.computeIfAbsent(row.getLocalDate("day"), day -> new TreeSet<>()).add(row.getString("role"));
    }
    return roles;
  }

  private synchronized void prepareAgentStatements() {
    if (agentDays == null) {
      agentDays = session.prepare("SELECT day, role FROM " + keyspace + ".agent_days WHERE agent = ? AND day >= ?"
          + " AND day <= ?");
      // agent is a clustering column after the minute range: filtered by the node within the one partition slice.
      agentMinutes = session.prepare("SELECT minute, batch_id, samples, cpu_sum, cpu_max, mem_sum, mem_max FROM "
          + keyspace + ".agent_minute WHERE role = ? AND day = ? AND minute >= ? AND minute < ? AND agent = ?"
          + " ALLOW FILTERING");
    }
  }

  /** Every minute row of the app in [from, to) (the partial rows of each batch). */
  private List<AppMinuteRow> appMinuteRows(String app, Instant from, Instant to) {
    List<AppMinuteRow> rows = new ArrayList<>();
    for (LocalDate day : days(from, to)) {
      rows.addAll(minuteRows(app, day, from, to));
    }
    return rows;
  }

  /** Rows that together cover [from, to) exactly once: hour rows for whole hours, minute rows around them. */
  private List<AppRollup> appRows(String app, Instant from, Instant to) {
    List<AppRollup> rows = new ArrayList<>();
    for (LocalDate day : days(from, to)) {
      rows.addAll(appRowsOfDay(app, day, from, to));
    }
    return rows;
  }

  private List<AppRollup> appRowsOfDay(String app, LocalDate day, Instant from, Instant to) {
    Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return HourPlan.read(from.isAfter(dayStart) ? from : dayStart, to.isBefore(dayEnd) ? to : dayEnd,
        new HourPlan.Rows() {
          @Override
          public List<AppHourRow> hours(HourPlan.Window window) {
            return hourRows(app, day, window.from(), window.to());
          }

          @Override
          public List<AppMinuteRow> minutes(HourPlan.Window window) {
            return minuteRows(app, day, window.from(), window.to());
          }
        });
  }

  private List<AppMinuteRow> minuteRows(String app, LocalDate day, Instant from, Instant to) {
    List<AppMinuteRow> rows = new ArrayList<>();
    for (Row row : session.execute(appMinutes.bind(app, day, from, to))) {
      rows.add(new AppMinuteRow(row.getString("app"), row.getInstant("minute"), row.getLong("batch_id"), counts(row)));
    }
    return rows;
  }

  private List<AppHourRow> hourRows(String app, LocalDate day, Instant from, Instant to) {
    List<AppHourRow> rows = new ArrayList<>();
    for (Row row : session.execute(appHours.bind(app, day, from, to))) {
      rows.add(hourRow(row));
    }
    return rows;
  }

  static AppHourRow hourRow(Row row) {
    return new AppHourRow(row.getString("app"), row.getInstant("hour"), row.getLong("last_batch_id"), counts(row));
  }

  static AppCounts counts(Row row) {
    return new AppCounts(
        row.getLong("lines"), row.getLong("bytes"), row.getLong("malformed"),
        row.getLong("level_error"), row.getLong("level_warn"), row.getLong("level_info"),
        row.getLong("level_debug"), row.getLong("level_other"),
        row.getLong("stream_stdout"), row.getLong("stream_stderr"), row.getLong("stream_system"),
        row.getLong("requests"), row.getLong("status_2xx"), row.getLong("status_3xx"),
        row.getLong("status_4xx"), row.getLong("status_5xx"),
        row.getMap("latency_hist", Integer.class, Long.class));
  }

  /** The UTC days [from, to) touches: the day partitions to read. */
  static List<LocalDate> days(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return List.of();
    }
    List<LocalDate> days = new ArrayList<>();
    LocalDate last = TimeBuckets.dayOf(to.toEpochMilli() - 1);
    for (LocalDate day = TimeBuckets.dayOf(from.toEpochMilli()); !day.isAfter(last); day = day.plusDays(1)) {
      days.add(day);
    }
    return days;
  }
}
