package dev.kos.analytics.job;

import java.io.Serializable;

/** The key of an {@code agent_minute} row within one batch. */
record AgentMinute(String role, String agent, long minuteMillis) implements Serializable {
}
