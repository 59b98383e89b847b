package dev.kos.analytics.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.AgentUsage;
import dev.kos.analytics.rollup.TimeBuckets;
import java.time.Instant;
import java.time.LocalDate;

/** Writes partial rollup rows the way the job does, for tests and benchmarks of the queries. */
public final class RollupRowWriter {

  private final CqlSession session;
  private final PreparedStatement appMinute;
  private final PreparedStatement appDay;
  private final PreparedStatement agentMinute;
  private final PreparedStatement agentDay;

  public RollupRowWriter(CqlSession session, String keyspace) {
    this.session = session;
    this.appMinute = session.prepare("INSERT INTO " + keyspace + ".app_minute (app, day, minute, batch_id, lines, bytes, "
        + "malformed, level_error, level_warn, level_info, level_debug, level_other, stream_stdout, stream_stderr, "
        + "stream_system, requests, status_2xx, status_3xx, status_4xx, status_5xx, latency_hist) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.appDay = session.prepare("INSERT INTO " + keyspace + ".app_days (day, app) VALUES (?, ?)");
    this.agentMinute = session.prepare("INSERT INTO " + keyspace + ".agent_minute (role, day, minute, agent, batch_id, "
        + "samples, cpu_sum, cpu_max, mem_sum, mem_max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    this.agentDay = session.prepare("INSERT INTO " + keyspace + ".agent_days (agent, day, role) VALUES (?, ?, ?)");
  }

  public void appMinute(String app, Instant minute, long batchId, AppCounts c) {
    LocalDate day = TimeBuckets.dayOf(minute.toEpochMilli());
    session.execute(appMinute.bind(app, day, minute, batchId, c.lines(), c.bytes(), c.malformed(), c.levelError(),
        c.levelWarn(), c.levelInfo(), c.levelDebug(), c.levelOther(), c.streamStdout(), c.streamStderr(),
        c.streamSystem(), c.requests(), c.status2xx(), c.status3xx(), c.status4xx(), c.status5xx(),
        c.latencyHistogram()));
    session.execute(appDay.bind(day, app));
  }

  public void agentMinute(Instant minute, long batchId, AgentUsage u) {
    LocalDate day = TimeBuckets.dayOf(minute.toEpochMilli());
    session.execute(agentMinute.bind(u.role(), day, minute, u.agent(), batchId,
        u.samples(), u.cpuSum(), u.cpuMax(), u.memSum(), u.memMax()));
    session.execute(agentDay.bind(u.agent(), day, u.role()));
  }
}
