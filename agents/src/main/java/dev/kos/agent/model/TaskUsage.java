package dev.kos.agent.model;

import java.time.Duration;
import java.time.Instant;

/** CPU time and resident memory of a task's live process tree at one moment. */
public record TaskUsage(TaskRef task, Duration cpuTime, long rssBytes, int processes, Instant sampledAt) {
}
