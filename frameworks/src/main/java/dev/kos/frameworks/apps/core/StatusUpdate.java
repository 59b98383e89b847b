package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.Optional;

/** An agent's report on one task: its state, and its health when a check has run. */
public record StatusUpdate(String taskId, InstanceState state, Optional<Boolean> healthy, Instant at) {
}
