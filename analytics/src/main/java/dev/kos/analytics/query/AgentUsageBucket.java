package dev.kos.analytics.query;

import java.time.Instant;
import java.util.List;

/** An agent's usage over one bucket (a minute or an hour) that starts at {@code start}: one entry per role, by name. */
public record AgentUsageBucket(Instant start, List<AgentUsage> roles) {

  public AgentUsageBucket {
    roles = List.copyOf(roles);
  }
}
