package dev.kos.agent.model;

import java.time.Instant;

/** One line of a task's output; {@code seq} counts per task so consumers can spot gaps. */
public record LogRecord(
    TaskRef task, LogSource source, Instant timestamp, long seq, String line) {
}
