package dev.kos.agent.testing;

import dev.kos.agent.model.StatusUpdate;
import dev.kos.model.TaskState;
import dev.kos.agent.outbound.StatusSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Keeps every published status; tests wait for one with a generous deadline instead of sleeping. */
public final class RecordingStatusSink implements StatusSink {
  private final List<StatusUpdate> statuses = new CopyOnWriteArrayList<>();

  @Override
  public void publish(StatusUpdate status) {
    statuses.add(status);
  }

  public List<StatusUpdate> of(String taskId) {
    return statuses.stream().filter(status -> status.taskId().equals(taskId)).toList();
  }

  public List<TaskState> statesOf(String taskId) {
    return of(taskId).stream().map(StatusUpdate::state).toList();
  }

  public StatusUpdate await(String taskId, TaskState state) {
    return await(taskId, status -> status.state() == state, "state " + state);
  }

  public StatusUpdate await(String taskId, Predicate<StatusUpdate> wanted, String what) {
    return Await.until(() -> of(taskId).stream().filter(wanted).findFirst(), Duration.ofSeconds(20),
        () -> "task " + taskId + " never reached " + what + "; statuses: " + of(taskId));
  }
}
