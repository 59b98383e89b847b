package dev.kos.allocator.core;

import dev.kos.model.Resources;
/**
 * One agent as the cluster advisor sees it: capacity, what running tasks hold (scalars only), how many
 * tasks, the largest of them, and whether it is draining.
 */
public record AgentLoad(String agentId, Resources total, Resources allocated, int tasks, Resources largestTask,
    boolean draining) {
}
