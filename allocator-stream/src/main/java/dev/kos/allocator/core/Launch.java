package dev.kos.allocator.core;

import dev.kos.model.Resources;
/** A task whose resources are allocated on an agent: approved to launch, or lost with its agent. */
public record Launch(String taskId, String frameworkId, String role, String agentId, Resources resources) {
}
