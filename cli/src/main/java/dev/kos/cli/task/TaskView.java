package dev.kos.cli.task;

import dev.kos.cli.results.Formats;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.TaskStatus;
import java.time.Instant;

/** How `kos task list` and `kos task logs` write tasks and their output. Pure. */
final class TaskView {

  static final String[] LIST_HEADER = {"TASK", "APP", "AGENT", "STATE", "AGE", "PORTS", "MESSAGE"};

  private TaskView() {
  }

  /** A task's row; AGE is how long it has been in its state. */
  static String[] listRow(TaskStatus status, Instant now) {
    String state = status.getState().toString() + (status.getHealthy() == null ? "" : status.getHealthy() ? " (healthy)"
        : " (unhealthy)");
    return new String[] {status.getTaskId(), Formats.orDash(status.getAppId()), status.getAgentId(), state,
        Formats.age(status.getTimestamp(), now), ports(status), Formats.orDash(status.getMessage())};
  }

  /** The host ports the task holds on its agent, as the agent reported them; {@code -} for none. */
  static String ports(TaskStatus status) {
    if (status.getResources() == null || status.getResources().getPorts().isEmpty()) {
      return "-";
    }
    return String.join(",", status.getResources().getPorts().stream().map(range -> range.getBegin() == range.getEnd()
        ? Long.toString(range.getBegin()) : range.getBegin() + "-" + range.getEnd()).toList());
  }

  /** A line of output as the task wrote it; kos's own lines about the task are marked as such. */
  static String logLine(LogLine line) {
    return line.getStream() == LogStream.SYSTEM ? "[kos] " + line.getLine() : line.getLine();
  }
}
