package dev.kos.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.store.SchemaInstaller;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.analytics.testing.CassandraContactPoint;
import dev.kos.analytics.testing.CassandraNodeExtension;
import dev.kos.analytics.testing.RollupRowWriter;
import dev.kos.analytics.testing.TestKeyspaces;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The queries on a real node over partial rows written as the job writes them. */
@ExtendWith(CassandraNodeExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollupQueriesIT {

  private static final Instant TEN = Instant.parse("2026-11-25T10:00:00Z");
  private static final Instant MIDNIGHT = Instant.parse("2026-11-26T00:00:00Z");

  private CqlSession session;
  private RollupQueries queries;
  private String keyspace;

  @BeforeAll
  void writeRows(@CassandraContactPoint String contactPoint) {
    session = CassandraSessions.open(ContactPoints.parse(contactPoint), Duration.ofSeconds(20));
    SchemaSettings schema = SchemaSettings.forKeyspace(TestKeyspaces.fresh("queries"));
    SchemaInstaller.install(session, schema);
    SchemaInstaller.install(session, schema);
    queries = new RollupQueries(session, schema.keyspace());
    keyspace = schema.keyspace();

    RollupRowWriter rows = new RollupRowWriter(session, schema.keyspace());
    // web, 10:00: two batches counted parts of the same minute.
    rows.appMinute("web", TEN, 1, counts(3, 1, 0, Map.of(5, 2L), 0));
    rows.appMinute("web", TEN, 2, counts(4, 0, 1, Map.of(5, 1L, 40, 1L), 1));
    rows.appMinute("web", TEN.plusSeconds(60), 2, counts(2, 2, 0, Map.of(250, 2L), 1));
    rows.appMinute("web", TEN.plusSeconds(90 * 60), 3, counts(1, 0, 0, Map.of(), 0));
    // worker: more errors, no requests; night: a window across midnight.
    rows.appMinute("worker", TEN.plusSeconds(120), 2, counts(10, 6, 0, Map.of(), 0));
    rows.appMinute("night", MIDNIGHT.minusSeconds(60), 7, counts(5, 1, 0, Map.of(), 2));
    rows.appMinute("night", MIDNIGHT, 8, counts(6, 1, 0, Map.of(), 3));

    rows.agentMinute(TEN, 1, new AgentUsage("web", "agent-1", 2, 1.0, 0.75, 200, 120));
    rows.agentMinute(TEN, 2, new AgentUsage("web", "agent-1", 1, 0.5, 0.5, 90, 90));
    rows.agentMinute(TEN.plusSeconds(60), 2, new AgentUsage("web", "agent-2", 4, 0.4, 0.1, 400, 100));
    rows.agentMinute(TEN.plusSeconds(60), 3, new AgentUsage("jobs", "agent-1", 1, 2.0, 2.0, 50, 50));
    rows.agentMinute(MIDNIGHT, 8, new AgentUsage("jobs", "agent-1", 2, 1.0, 0.5, 20, 10));
  }

  @AfterAll
  void closeSession() {
    session.close();
  }

  /** lines, errors, 5xx, latency histogram (every latency is a 2xx request unless 5xx), malformed. */
  private static AppCounts counts(long lines, long errors, long status5xx, Map<Integer, Long> histogram, long malformed) {
    long requests = histogram.values().stream().mapToLong(Long::longValue).sum();
    return new AppCounts(lines, lines * 100, malformed, errors, 0, lines - errors, 0, 0, lines, 0, 0,
        requests, requests - status5xx, 0, 0, status5xx, histogram);
  }

  @Test
  void shouldAddThePartialRowsOfEachMinute() {
    List<AppRollup> minutes = queries.rollup("web", TEN, TEN.plusSeconds(3600), Granularity.MINUTE);

    assertThat(minutes).extracting(AppRollup::start).containsExactly(TEN, TEN.plusSeconds(60));
    AppCounts ten = minutes.get(0).counts();
    assertThat(ten.lines()).isEqualTo(7);
    assertThat(ten.bytes()).isEqualTo(700);
    assertThat(ten.levelError()).isEqualTo(1);
    assertThat(ten.malformed()).isEqualTo(1);
    assertThat(ten.requests()).isEqualTo(4);
    assertThat(ten.status5xx()).isEqualTo(1);
    assertThat(ten.latencyPercentile(50)).hasValue(5);
    assertThat(ten.latencyPercentile(99)).hasValue(40);
  }

  @Test
  void shouldAddMinutesIntoHoursAndMergeTheirHistograms() {
    List<AppRollup> hours = queries.rollup("web", TEN, TEN.plusSeconds(2 * 3600), Granularity.HOUR);

    assertThat(hours).extracting(AppRollup::start).containsExactly(TEN, TEN.plusSeconds(3600));
    AppCounts first = hours.get(0).counts();
    assertThat(first.lines()).isEqualTo(9);
    assertThat(first.latencyHistogram()).containsExactly(Map.entry(5, 3L), Map.entry(40, 1L), Map.entry(250, 2L));
    assertThat(first.latencyPercentile(50)).hasValue(5);
    assertThat(first.latencyPercentile(95)).hasValue(250);
    assertThat(hours.get(1).counts().lines()).isEqualTo(1);
  }

  @Test
  void shouldLeaveOutMinutesAtOrAfterTheEndOfTheWindow() {
    assertThat(queries.rollup("web", TEN, TEN.plusSeconds(60), Granularity.MINUTE))
        .singleElement().satisfies(rollup -> assertThat(rollup.counts().lines()).isEqualTo(7));
  }

  @Test
  void shouldReadBothDayPartitionsOfAWindowAcrossMidnight() {
    HttpSummary night = queries.http("night", MIDNIGHT.minusSeconds(3600), MIDNIGHT.plusSeconds(3600));

    assertThat(queries.rollup("night", MIDNIGHT.minusSeconds(3600), MIDNIGHT.plusSeconds(3600), Granularity.HOUR))
        .extracting(rollup -> rollup.counts().lines()).containsExactly(5L, 6L);
    assertThat(night.requests()).isZero();
  }

  @Test
  void shouldSummariseHttpWithStatusClassesAndPercentiles() {
    HttpSummary web = queries.http("web", TEN, TEN.plusSeconds(3600));

    assertThat(web.requests()).isEqualTo(6);
    assertThat(web.status2xx()).isEqualTo(5);
    assertThat(web.status5xx()).isEqualTo(1);
    assertThat(web.p50()).hasValue(5);
    assertThat(web.p95()).hasValue(250);
    assertThat(web.p99()).hasValue(250);
  }

  @Test
  void shouldRankAppsByTheMetricOverTheDaysOfTheWindow() {
    Instant since = TEN.minusSeconds(3600);
    Instant now = MIDNIGHT.plusSeconds(3600);

    assertThat(queries.top(Metric.ERRORS, since, now, 10))
        .containsExactly(new AppTotal("worker", 6), new AppTotal("web", 3), new AppTotal("night", 2));
    assertThat(queries.top(Metric.MALFORMED, since, now, 1)).containsExactly(new AppTotal("night", 5));
    assertThat(queries.top(Metric.LINES, MIDNIGHT, now, 10)).containsExactly(new AppTotal("night", 6));
  }

  @Test
  void shouldKeepOneHourRowEqualToItsMinutesAndAnswerADayFromTheHourRows() {
    RollupRowWriter rows = new RollupRowWriter(session, keyspace);
    AppHourWriter hours = new AppHourWriter(session, keyspace);
    Instant day = Instant.parse("2026-11-27T00:00:00Z");
    // Batch 1 rolled up before hour rows existed (minute rows only); batches 2 and 3 by the job as it is now.
    List<AppMinuteRow> batch1 = List.of(minute("hourly", day.plusSeconds(10 * 3600 + 5 * 60), 1, 3));
    List<AppMinuteRow> batch2 = List.of(minute("hourly", day.plusSeconds(10 * 3600 + 50 * 60), 2, 2),
        minute("hourly", day.plusSeconds(11 * 3600 + 10 * 60), 2, 4));
    List<AppMinuteRow> batch3 = List.of(minute("hourly", day.plusSeconds(12 * 3600 + 60), 3, 1),
        minute("hourly", day.plusSeconds(23 * 3600 + 30 * 60), 3, 6));
    batch1.forEach(row -> rows.appMinute(row.app(), row.minute(), row.batchId(), row.counts()));
    for (List<AppMinuteRow> batch : List.of(batch2, batch3)) {
      batch.forEach(row -> rows.appMinute(row.app(), row.minute(), row.batchId(), row.counts()));
      hours.apply(batch.get(0).batchId(), batch);
    }

    assertThat(hours.apply(2, batch2)).as("batch 2 replayed: the same rows").extracting(row -> row.counts().lines())
        .containsExactly(5L, 4L);
    assertThat(session.execute("SELECT hour, last_batch_id, lines FROM " + keyspace
            + ".app_hour WHERE app = 'hourly' AND day = '2026-11-27'").all())
        .extracting(row -> row.getInstant("hour") + " " + row.getLong("last_batch_id") + " " + row.getLong("lines"))
        .containsExactly(day.plusSeconds(23 * 3600) + " 3 6", day.plusSeconds(12 * 3600) + " 3 1",
            day.plusSeconds(11 * 3600) + " 2 4", day.plusSeconds(10 * 3600) + " 2 5");
    assertThat(queries.http("hourly", day, day.plusSeconds(86_400)).requests()).isEqualTo(16);
    assertThat(queries.rollup("hourly", day, day.plusSeconds(86_400), Granularity.HOUR))
        .extracting(rollup -> rollup.counts().lines()).containsExactly(5L, 4L, 1L, 6L);
    assertThat(queries.http("hourly", day.plusSeconds(10 * 3600 + 30 * 60), day.plusSeconds(12 * 3600 + 30 * 60))
        .requests()).as("partial hours at both ends, from their minutes").isEqualTo(2 + 4 + 1);
    assertThat(queries.top(Metric.LINES, day, day.plusSeconds(86_400), 5)).containsExactly(new AppTotal("hourly", 16));

    // The hour rows are what a day is read from: without hour 11's minute rows the day still counts them.
    session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".app_minute WHERE app = 'hourly'"
        + " AND day = '2026-11-27' AND minute = ? AND batch_id = 2", day.plusSeconds(11 * 3600 + 10 * 60)));
    assertThat(queries.http("hourly", day, day.plusSeconds(86_400)).requests()).isEqualTo(16);
    assertThat(queries.rollup("hourly", day, day.plusSeconds(86_400), Granularity.MINUTE))
        .extracting(rollup -> rollup.counts().lines()).containsExactly(3L, 2L, 1L, 6L);
  }

  @Test
  void shouldKnowWhichAppsHaveRollupsOnTheDaysOfAWindow() {
    assertThat(queries.hasRollups("web", TEN, TEN.plusSeconds(60))).isTrue();
    assertThat(queries.hasRollups("night", MIDNIGHT.plusSeconds(60), MIDNIGHT.plusSeconds(120))).isTrue();
    assertThat(queries.hasRollups("web", MIDNIGHT, MIDNIGHT.plusSeconds(60))).as("web on the next day").isFalse();
    assertThat(queries.hasRollups("nobody", TEN, TEN.plusSeconds(60))).isFalse();
  }

  private static AppMinuteRow minute(String app, Instant minute, long batch, long lines) {
    return new AppMinuteRow(app, minute, batch, counts(lines, 0, 0, Map.of(5, lines), 0));
  }

  @Test
  void shouldReadOneAgentsUsageAcrossItsRolesAndDays() {
    Instant from = TEN.minusSeconds(3600);
    Instant to = MIDNIGHT.plusSeconds(3600);

    assertThat(queries.agentUsage("agent-1", from, to, Granularity.HOUR)).containsExactly(
        new AgentUsageBucket(TEN, List.of(new AgentUsage("jobs", "agent-1", 1, 2.0, 2.0, 50, 50),
            new AgentUsage("web", "agent-1", 3, 1.5, 0.75, 290, 120))),
        new AgentUsageBucket(MIDNIGHT, List.of(new AgentUsage("jobs", "agent-1", 2, 1.0, 0.5, 20, 10))));
    assertThat(queries.agentUsage("agent-1", TEN, TEN.plusSeconds(120), Granularity.MINUTE))
        .extracting(AgentUsageBucket::start).containsExactly(TEN, TEN.plusSeconds(60));
    assertThat(queries.agentUsage("agent-2", from, to, Granularity.HOUR)).containsExactly(
        new AgentUsageBucket(TEN, List.of(new AgentUsage("web", "agent-2", 4, 0.4, 0.1, 400, 100))));
    assertThat(queries.hasAgentUsage("agent-2", from, to)).isTrue();
    assertThat(queries.hasAgentUsage("agent-2", MIDNIGHT, to)).isFalse();
    assertThat(queries.agentUsage("nobody", from, to, Granularity.HOUR)).isEmpty();
  }

  @Test
  void shouldAddAgentUsagePerAgentOfARole() {
    List<AgentUsage> usage = queries.roleUsage("web", TEN, TEN.plusSeconds(3600));

    assertThat(usage).extracting(AgentUsage::agent).containsExactly("agent-1", "agent-2");
    AgentUsage one = usage.get(0);
    assertThat(one.samples()).isEqualTo(3);
    assertThat(one.cpuAverage()).isCloseTo(0.5, within(1e-9));
    assertThat(one.cpuMax()).isEqualTo(0.75);
    assertThat(one.memAverageMib()).isCloseTo(96.666, within(1e-3));
    assertThat(one.memMax()).isEqualTo(120);
  }
}
