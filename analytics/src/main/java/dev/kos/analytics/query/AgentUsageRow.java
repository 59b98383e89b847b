package dev.kos.analytics.query;

import java.time.Instant;

/** One partial {@code agent_minute} row as the queries read it: a batch's samples of one role on one agent. */
public record AgentUsageRow(Instant minute, long batchId, AgentUsage usage) {}
