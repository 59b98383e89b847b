package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.AppMinuteRow;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchRollupTest {

  private static final long T = Instant.parse("2026-03-01T10:15:42Z").toEpochMilli();
  private static final long MINUTE = Instant.parse("2026-03-01T10:15:00Z").toEpochMilli();

  @Test
  void shouldCountALineUnderItsAppAndMinute() {
    BatchRollup rollup = new BatchRollup();
    rollup.addLogLine(line("web", LogStream.STDOUT,
        "10.0.0.1 - - [01/Mar/2026:10:15:42 +0000] \"GET / HTTP/1.1\" 503 12 250.5ms"));
    rollup.addLogLine(line(null, LogStream.STDERR, "WARNING caf\u00e9"));

    AppMinuteTally web = rollup.apps().get(new AppMinute("web", MINUTE));
    assertThat(web.lines).isEqualTo(1);
    assertThat(web.requests).isEqualTo(1);
    assertThat(web.statusClasses).containsExactly(0, 0, 0, 1);
    assertThat(web.latencyHistogram).containsExactly(Map.entry(260, 1L));
    AppMinuteTally none = rollup.apps().get(new AppMinute("-", MINUTE));
    assertThat(none.levels).containsExactly(0, 1, 0, 0, 0);
    assertThat(none.streams).containsExactly(0, 1, 0);
    assertThat(none.bytes).isEqualTo("WARNING caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
  }

  @Test
  void shouldCountAnUndecodableRecordAsMalformedUnderNoAppAtItsKafkaTime() {
    BatchRollup rollup = new BatchRollup();
    rollup.addUndecodableLog(T);

    AppMinuteTally none = rollup.apps().get(new AppMinute("-", MINUTE));
    assertThat(none.malformed).isEqualTo(1);
    assertThat(none.lines).isZero();
  }

  @Test
  void shouldCountOnlyTaskSamplesAndSkipAbsentValues() {
    BatchRollup rollup = new BatchRollup();
    rollup.addMetricSample(sample("task", Map.of("cpu_cores", 1.5, "rss_bytes", 2.0 * 1_048_576)));
    rollup.addMetricSample(sample("task", Map.of("cpu_cores", 0.5)));
    rollup.addMetricSample(sample("agent", Map.of("cpu_cores", 8.0)));

    AgentMinuteTally tally = rollup.agents().get(new AgentMinute("-", "a1", MINUTE));
    assertThat(new double[] {tally.samples, tally.cpuSum, tally.cpuMax, tally.memSum, tally.memMax})
        .containsExactly(2, 2.0, 1.5, 2.0, 2.0);
    assertThat(rollup.records()).isEqualTo(3);
  }

  @Test
  void shouldListEachAgentDayAndRoleOnceForAgentDays() {
    BatchRollup rollup = new BatchRollup();
    rollup.addMetricSample(sample("task", Map.of("cpu_cores", 1.5)));
    rollup.addMetricSample(sample("task", Map.of("cpu_cores", 0.5)));

    assertThat(RollupRows.agentDays(rollup)).extracting(row -> List.of(row.get(0), row.get(1), row.get(2)))
        .containsExactly(List.of("a1", dev.kos.analytics.rollup.TimeBuckets.dayOf(MINUTE), "-"));
  }

  @Test
  void shouldMergePartitionsByAddingTheirTallies() {
    BatchRollup left = new BatchRollup();
    left.addLogLine(line("web", LogStream.STDOUT, "INFO a"));
    BatchRollup right = new BatchRollup();
    right.addLogLine(line("web", LogStream.STDOUT, "INFO b"));
    right.addUndecodableLog(T);

    BatchRollup merged = left.addAll(right);

    assertThat(merged.apps().get(new AppMinute("web", MINUTE)).levels).containsExactly(0, 0, 2, 0, 0);
    assertThat(merged.records()).isEqualTo(3);
  }

  @Test
  void shouldHandTheHourWriterTheSameFiguresAsTheMinuteRows() {
    BatchRollup rollup = new BatchRollup();
    rollup.addLogLine(line("web", LogStream.STDOUT,
        "10.0.0.1 - - [01/Mar/2026:10:15:42 +0000] \"GET / HTTP/1.1\" 503 12 250.5ms"));
    rollup.addLogLine(line("web", LogStream.STDERR, "ERROR x"));

    List<AppMinuteRow> rows = RollupRows.appMinuteRows(rollup, 7);

    assertThat(rows).singleElement().satisfies(row -> {
      assertThat(row.app()).isEqualTo("web");
      assertThat(row.minute()).isEqualTo(Instant.ofEpochMilli(MINUTE));
      assertThat(row.batchId()).isEqualTo(7);
      assertThat(row.counts()).isEqualTo(new AppCounts(2, 73 + 7, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 1,
          Map.of(260, 1L)));
    });
    assertThat(RollupRows.appMinutes(rollup, 7)).singleElement()
        .satisfies(row -> assertThat(row.getLong(4)).as("lines column").isEqualTo(2));
  }

  private static LogLine line(String app, LogStream stream, String text) {
    return LogLine.newBuilder().setTaskId("t").setFrameworkId("apps").setAppId(app).setAgentId("a1").setStream(stream)
        .setTimestamp(Instant.ofEpochMilli(T)).setLine(text).build();
  }

  private static MetricSample sample(String kind, Map<String, Double> values) {
    return MetricSample.newBuilder().setSourceId("s").setKind(kind).setAgentId("a1").setValues(values)
        .setTimestamp(Instant.ofEpochMilli(T)).build();
  }
}
