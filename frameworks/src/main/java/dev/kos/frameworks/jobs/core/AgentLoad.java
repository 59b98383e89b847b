package dev.kos.frameworks.jobs.core;

import dev.kos.model.Resources;
import java.time.Instant;

/** What an agent last reported: its capacity, what its tasks hold, and when. */
public record AgentLoad(String agentId, Resources total, Resources used, Instant reportedAt) {
}
