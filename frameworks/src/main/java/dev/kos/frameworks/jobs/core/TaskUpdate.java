package dev.kos.frameworks.jobs.core;

/** A status report for one task, with the reporter's words. */
public record TaskUpdate(String taskId, String agentId, TaskPhase phase, String message) {
}
