package dev.kos.agent.bus;

import dev.kos.agent.model.StatusUpdate;
import dev.kos.model.TaskState;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which task statuses an agent sends again after its producer gave up on them (a bus outage longer than the
 * delivery timeout). A status is lost to nobody: the failed one is sent again if it is still its task's latest,
 * and skipped if a later status of that task was sent after it, since re-sending the older one would take the
 * task back a step on kos.tasks. The latest status of a task is kept until a terminal one is acknowledged.
 * Pure; the agent's outbox thread owns it.
 */
final class StatusRedelivery {

  private final Map<String, StatusUpdate> latest = new HashMap<>();

  /** The agent hands {@code status} to its producer. */
  void sent(StatusUpdate status) {
    latest.put(status.taskId(), status);
  }

  /** The bus acknowledged {@code status}. */
  void delivered(StatusUpdate status) {
    if (latest.get(status.taskId()) == status && status.state().terminal()) {
      latest.remove(status.taskId());
    }
  }

  /** The producer gave up on {@code status}: what to send again, if anything. */
  Optional<StatusUpdate> failed(StatusUpdate status) {
    return latest.get(status.taskId()) == status ? Optional.of(status) : Optional.empty();
  }

  int tracked() {
    return latest.size();
  }
}
