package dev.kos.analytics.job;

import dev.kos.analytics.rollup.LogLineClassifier;
import dev.kos.analytics.rollup.TimeBuckets;
import dev.kos.schema.LogLine;
import dev.kos.schema.MetricSample;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What one micro-batch (or one partition of it) adds to the rollups: a tally per app and minute, a
 * tally per role, agent and minute, and counters for the progress lines. Partitions' rollups merge
 * with {@link #addAll}.
 */
final class BatchRollup implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Stands for an absent app, role or agent (they are key columns, which cannot be null). */
  static final String NONE = "-";
  static final String TASK_KIND = "task";

  private final Map<AppMinute, AppMinuteTally> apps = new HashMap<>();
  private final Map<AgentMinute, AgentMinuteTally> agents = new HashMap<>();
  private long logLines;
  private long undecodableLogs;
  private long taskSamples;
  private long otherSamples;
  private long undecodableMetrics;

  void addLogLine(LogLine line) {
    logLines++;
    String app = line.getAppId() == null ? NONE : line.getAppId();
    long minute = TimeBuckets.minuteOf(line.getTimestamp().toEpochMilli());
    apps.computeIfAbsent(new AppMinute(app, minute), key -> new AppMinuteTally())
        .addLine(line.getStream(), line.getLine(), LogLineClassifier.classify(line.getLine()));
  }

  /** A record on the logs topic that is no {@code LogLine}: malformed, under app "-" at its Kafka time. */
  void addUndecodableLog(long kafkaTimestampMillis) {
    undecodableLogs++;
    apps.computeIfAbsent(new AppMinute(NONE, TimeBuckets.minuteOf(kafkaTimestampMillis)), key -> new AppMinuteTally())
        .addUndecodable();
  }

  /** Only task samples count; agent and service samples are someone else's. */
  void addMetricSample(MetricSample sample) {
    if (!TASK_KIND.equals(sample.getKind())) {
      otherSamples++;
      return;
    }
    taskSamples++;
    AgentMinute key = new AgentMinute(orNone(sample.getRole()), orNone(sample.getAgentId()),
        TimeBuckets.minuteOf(sample.getTimestamp().toEpochMilli()));
    agents.computeIfAbsent(key, k -> new AgentMinuteTally()).addSample(sample.getValues());
  }

  void addUndecodableMetric() {
    undecodableMetrics++;
  }

  /** Adds {@code other} into this one and returns this one (the shape Spark's fold wants). */
  BatchRollup addAll(BatchRollup other) {
    other.apps.forEach((key, tally) -> apps.computeIfAbsent(key, k -> new AppMinuteTally()).addAll(tally));
    other.agents.forEach((key, tally) -> agents.computeIfAbsent(key, k -> new AgentMinuteTally()).addAll(tally));
    logLines += other.logLines;
    undecodableLogs += other.undecodableLogs;
    taskSamples += other.taskSamples;
    otherSamples += other.otherSamples;
    undecodableMetrics += other.undecodableMetrics;
    return this;
  }

  Map<AppMinute, AppMinuteTally> apps() {
    return apps;
  }

  Map<AgentMinute, AgentMinuteTally> agents() {
    return agents;
  }

  long records() {
    return logLines + undecodableLogs + taskSamples + otherSamples + undecodableMetrics;
  }

  String summary() {
    return String.format("%,d log lines, %,d undecodable log records, %,d task samples, %,d other samples, "
        + "%,d undecodable metric records", logLines, undecodableLogs, taskSamples, otherSamples, undecodableMetrics);
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }
}
