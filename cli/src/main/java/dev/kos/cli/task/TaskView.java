package dev.kos.cli.task;

import dev.kos.cli.results.Formats;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.TaskStatus;
import java.time.Instant;

/** How `kos task list` and `kos task logs` write tasks and their output. Pure. */
final class TaskView {

  static final String[] LIST_HEADER = {"TASK", "APP", "AGENT", "STATE", "AGE", "MESSAGE"};

  private TaskView() {
  }

  /** A task's row; AGE is how long it has been in its state. */
  static String[] listRow(TaskStatus status, Instant now) {
    String state = status.getState().toString() + (status.getHealthy() == null ? "" : status.getHealthy() ? " (healthy)"
        : " (unhealthy)");
    return new String[] {status.getTaskId(), Formats.orDash(status.getAppId()), status.getAgentId(), state,
        Formats.age(status.getTimestamp(), now), Formats.orDash(status.getMessage())};
  }

  /** A line of output as the task wrote it; kos's own lines about the task are marked as such. */
  static String logLine(LogLine line) {
    return line.getStream() == LogStream.SYSTEM ? "[kos] " + line.getLine() : line.getLine();
  }
}
