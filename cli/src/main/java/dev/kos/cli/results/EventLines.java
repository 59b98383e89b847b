package dev.kos.cli.results;

import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleTarget;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * The readable stream of `kos events`: one aligned line per change a user cares about, time first,
 * then where it comes from, what it is about, what happened and the details.
 */
public final class EventLines {

  /** The topics of the readable stream: status changes, scale decisions, command answers, task states. */
  public static final List<TopicDef<?>> TOPICS = List.of(
      Topics.STATUS, Topics.SCALE_DECISIONS, Topics.COMMAND_RESULTS, Topics.TASK_STATUS);

  // Wide enough for a command id (a UUID) and the longest status kind (DEPLOYMENT_FINISHED).
  private static final String FORMAT = "%-20s  %-7s  %-36s  %-19s  %s";

  private EventLines() {
  }

  /**
   * The line for a record of one of {@link #TOPICS}.
   *
   * @param recordTime the broker's time of the record, used when the value carries none
   */
  public static String format(SpecificRecord value, Instant recordTime) {
    if (value instanceof StatusEvent e) {
      String detail = e.getMessage() + " (" + e.getFramework() + ")";
      return line(e.getTimestamp(), "status", e.getTarget(), e.getKind(), detail);
    }
    if (value instanceof ScaleDecision d) {
      String what = d.getFrom() + " -> " + d.getTo() + " " + d.getMode();
      String subject = d.getKind() == ScaleTarget.CLUSTER ? "cluster " + d.getTarget() : d.getTarget();
      return line(d.getTimestamp(), "scale", subject, what, d.getReason() + " (policy " + d.getPolicy() + ")");
    }
    if (value instanceof CommandResult r) {
      String detail = r.getStatus() == CommandStatus.ACCEPTED
          ? "by " + r.getHandledBy() + (r.getDeploymentId() == null ? "" : ", deployment " + r.getDeploymentId())
          : "by " + r.getHandledBy() + ": " + Formats.orDash(r.getReason());
      return line(r.getTimestamp(), "command", r.getCommandId(), r.getStatus().toString(), detail);
    }
    if (value instanceof TaskStatus s) {
      return line(s.getTimestamp(), "task", s.getTaskId(), s.getState().toString(), taskDetail(s));
    }
    return line(recordTime, "record", "-", value.getSchema().getName(), value.toString());
  }

  /** The line for a record that does not decode: shown, so that nothing passes unseen. */
  public static String undecodable(String topic, Instant recordTime, String reason) {
    return line(recordTime, "bad", topic, "UNDECODABLE", reason);
  }

  private static String taskDetail(TaskStatus s) {
    StringBuilder detail = new StringBuilder();
    if (s.getAppId() != null) {
      detail.append("app ").append(s.getAppId()).append(' ');
    }
    detail.append("on ").append(s.getAgentId());
    if (s.getHealthy() != null) {
      detail.append(s.getHealthy() ? ", healthy" : ", unhealthy");
    }
    if (s.getExitCode() != null) {
      detail.append(", exit code ").append(s.getExitCode());
    }
    if (s.getMessage() != null && !s.getMessage().isEmpty()) {
      detail.append(": ").append(s.getMessage());
    }
    return detail.toString();
  }

  private static String line(Instant time, String source, String subject, String what, String detail) {
    return String.format(FORMAT, time.truncatedTo(ChronoUnit.SECONDS), source, subject, what, detail).stripTrailing();
  }
}
