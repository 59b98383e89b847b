package dev.kos.analytics.query;

import java.time.Instant;

/**
 * An agent's task usage asked for by the API: checked before any row is read, with the windows of
 * {@link RollupRequest} (a minute rollup covers at most a day, an hour rollup 31 days).
 *
 * @param agent the agent's id, as its tasks' samples on {@code kos.metrics} name it
 */
public record AgentUsageRequest(String agent, Instant from, Instant to, Granularity granularity) {

  public AgentUsageRequest {
    if (agent == null || agent.isBlank()) {
      throw new IllegalArgumentException("name the agent: agent=ID (GET /api/v1/agents lists them)");
    }
    RollupRequest.checkWindow(from, to, granularity);
  }

  /**
   * From the texts of a request; null texts take the defaults of {@link RollupRequest#parse}.
   *
   * @throws IllegalArgumentException with the reason a person can act on
   */
  public static AgentUsageRequest parse(String agent, String from, String to, String granularity, Instant now) {
    Granularity width = RollupRequest.parseGranularity(granularity);
    Instant start = RollupRequest.parseTime("from", from, now);
    Instant end = RollupRequest.parseTime("to", to, now);
    return new AgentUsageRequest(agent == null ? null : agent.strip(), start, end, width);
  }
}
