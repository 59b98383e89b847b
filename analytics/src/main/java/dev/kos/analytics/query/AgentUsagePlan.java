package dev.kos.analytics.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which {@code agent_minute} slices an agent's usage over [from, to) reads, and how the rows add up. The table is
 * partitioned by role and UTC day, so the query first reads the agent's roles of each day from {@code agent_days},
 * then one slice per role and day, clipped to the window. Pure: the rows come in, the plan and the sums go out.
 */
public final class AgentUsagePlan {

  /** One range read: the partition (role, day) between {@code from} and {@code to}, exclusive. */
  public record Slice(String role, LocalDate day, Instant from, Instant to) {}

  private AgentUsagePlan() {}

  /**
   * The slices to read: for each day of the window (oldest first) and each role the agent ran tasks of that day (by
   * name), the part of the window inside that day. Days without roles, or outside the window, read nothing.
   */
  public static List<Slice> slices(Map<LocalDate, ? extends Set<String>> rolesByDay, Instant from, Instant to) {
    List<Slice> slices = new ArrayList<>();
    for (LocalDate day : RollupQueries.days(from, to)) {
      Instant dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      Instant dayEnd = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      Set<String> roles = rolesByDay.containsKey(day) ? rolesByDay.get(day) : Set.of();
      for (String role : new TreeSet<>(roles)) {
        slices.add(new Slice(role, day, from.isAfter(dayStart) ? from : dayStart, to.isBefore(dayEnd) ? to : dayEnd));
      }
    }
    return List.copyOf(slices);
  }

  /** Sums the partial rows into one bucket per minute or hour, oldest first, each with its roles by name. */
  public static List<AgentUsageBucket> byBucket(List<AgentUsageRow> rows, Granularity granularity) {
    SortedMap<Instant, SortedMap<String, AgentUsage>> buckets = new TreeMap<>();
    for (AgentUsageRow row : rows) {
      buckets.computeIfAbsent(granularity.bucketOf(row.minute()), start -> new TreeMap<>())
          .merge(row.usage().role(), row.usage(), AgentUsage::plus);
    }
    List<AgentUsageBucket> result = new ArrayList<>();
    buckets.forEach((start, roles) -> result.add(new AgentUsageBucket(start, List.copyOf(roles.values()))));
    return List.copyOf(result);
  }

  /** The whole window's usage per role, by name. */
  public static List<AgentUsage> total(List<AgentUsageRow> rows) {
    SortedMap<String, AgentUsage> roles = new TreeMap<>();
    rows.forEach(row -> roles.merge(row.usage().role(), row.usage(), AgentUsage::plus));
    return List.copyOf(roles.values());
  }
}
