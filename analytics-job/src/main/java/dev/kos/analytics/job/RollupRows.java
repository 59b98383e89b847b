package dev.kos.analytics.job;

import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.AppMinuteRow;
import dev.kos.analytics.rollup.TimeBuckets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns a batch's rollup into the partial rows of schema.cql, keyed by the batch id: a replayed
 * batch produces the same rows with the same keys, so it overwrites instead of adding.
 * Spark's java8 datetime API is on: {@code date} is a {@link LocalDate}, {@code timestamp} an
 * {@link Instant}.
 */
final class RollupRows {

  static final StructType APP_MINUTE = schema(
      "app:string", "day:date", "minute:timestamp", "batch_id:long", "lines:long", "bytes:long", "malformed:long",
      "level_error:long", "level_warn:long", "level_info:long", "level_debug:long", "level_other:long",
      "stream_stdout:long", "stream_stderr:long", "stream_system:long", "requests:long",
      "status_2xx:long", "status_3xx:long", "status_4xx:long", "status_5xx:long", "latency_hist:histogram");
  static final StructType AGENT_MINUTE = schema(
      "role:string", "day:date", "minute:timestamp", "agent:string", "batch_id:long", "samples:long",
      "cpu_sum:double", "cpu_max:double", "mem_sum:double", "mem_max:double");
  static final StructType APP_DAYS = schema("day:date", "app:string");
  static final StructType AGENT_DAYS = schema("agent:string", "day:date", "role:string");

  private RollupRows() {}

  static List<Row> appMinutes(BatchRollup rollup, long batch) {
    return rollup.apps().entrySet().stream().map(entry -> appMinute(entry.getKey(), entry.getValue(), batch)).toList();
  }

  /** The batch's app rows as the queries read them back, for {@code AppHourWriter}. */
  static List<AppMinuteRow> appMinuteRows(BatchRollup rollup, long batch) {
    return rollup.apps().entrySet().stream().map(entry -> {
      AppMinute key = entry.getKey();
      AppMinuteTally t = entry.getValue();
      return new AppMinuteRow(key.app(), Instant.ofEpochMilli(key.minuteMillis()), batch, new AppCounts(
          t.lines, t.bytes, t.malformed, t.levels[0], t.levels[1], t.levels[2], t.levels[3], t.levels[4],
          t.streams[0], t.streams[1], t.streams[2], t.requests,
          t.statusClasses[0], t.statusClasses[1], t.statusClasses[2], t.statusClasses[3], t.latencyHistogram));
    }).toList();
  }

  static List<Row> agentMinutes(BatchRollup rollup, long batch) {
    return rollup.agents().entrySet().stream().map(entry -> {
      AgentMinute key = entry.getKey();
      AgentMinuteTally t = entry.getValue();
      return RowFactory.create(key.role(), TimeBuckets.dayOf(key.minuteMillis()), Instant.ofEpochMilli(key.minuteMillis()),
          key.agent(), batch, t.samples, t.cpuSum, t.cpuMax, t.memSum, t.memMax);
    }).toList();
  }

  /** Every app and day the batch saw, so that "top" queries can find the app's partitions. */
  static List<Row> appDays(BatchRollup rollup) {
    Set<Map.Entry<LocalDate, String>> days = new TreeSet<>(Map.Entry.<LocalDate, String>comparingByKey()
        .thenComparing(Map.Entry.comparingByValue()));
    rollup.apps().keySet().forEach(key -> days.add(Map.entry(TimeBuckets.dayOf(key.minuteMillis()), key.app())));
    return days.stream().map(day -> RowFactory.create(day.getKey(), day.getValue())).toList();
  }

  /** Every agent, day and role the batch's samples saw, so that an agent's usage can find its role partitions. */
  static List<Row> agentDays(BatchRollup rollup) {
    Set<List<Object>> days = new LinkedHashSet<>();
    rollup.agents().keySet().stream()
        .sorted(Comparator.comparing(AgentMinute::agent).thenComparingLong(AgentMinute::minuteMillis)
            .thenComparing(AgentMinute::role))
        .forEach(key -> days.add(List.of(key.agent(), TimeBuckets.dayOf(key.minuteMillis()), key.role())));
    return days.stream().map(day -> RowFactory.create(day.toArray())).toList();
  }

  private static Row appMinute(AppMinute key, AppMinuteTally t, long batch) {
    return RowFactory.create(key.app(), TimeBuckets.dayOf(key.minuteMillis()), Instant.ofEpochMilli(key.minuteMillis()),
        batch, t.lines, t.bytes, t.malformed,
        t.levels[0], t.levels[1], t.levels[2], t.levels[3], t.levels[4],
        t.streams[0], t.streams[1], t.streams[2], t.requests,
        t.statusClasses[0], t.statusClasses[1], t.statusClasses[2], t.statusClasses[3],
        Map.copyOf(t.latencyHistogram));
  }

  private static StructType schema(String... columns) {
    StructField[] fields = new StructField[columns.length];
    for (int i = 0; i < columns.length; i++) {
      String[] nameAndType = columns[i].split(":");
      fields[i] = DataTypes.createStructField(nameAndType[0], switch (nameAndType[1]) {
        case "string" -> DataTypes.StringType;
        case "date" -> DataTypes.DateType;
        case "timestamp" -> DataTypes.TimestampType;
        case "long" -> DataTypes.LongType;
        case "double" -> DataTypes.DoubleType;
        case "histogram" -> DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false);
        default -> throw new IllegalArgumentException("unknown column type in " + columns[i]);
      }, false);
    }
    return DataTypes.createStructType(fields);
  }
}
