package dev.kos.allocator.stream;

import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.Decisions;
import dev.kos.bus.access.CommandGate;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.UndrainAgent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Drain and undrain commands of one shard of agents. The store holds each drained agent's phase
 * (DRAINING, then DRAINED once no task is left), so a drain survives a restart and DRAINED is said once.
 * Each command is answered on {@code kos.command-results}; each change is a StatusEvent on
 * {@code kos.status} from framework {@code allocator}. A command whose principal may not drain (the
 * {@link CommandGate}) is rejected, naming the missing permission, and changes nothing.
 */
final class AgentDrains {

  static final String HANDLED_BY = "allocator";
  private static final byte[] DRAINING = "DRAINING".getBytes(StandardCharsets.UTF_8);
  private static final byte[] DRAINED = "DRAINED".getBytes(StandardCharsets.UTF_8);

  private final Allocator core;
  private final KeyValueStore<String, byte[]> store;
  private final Outbox outbox;
  private final CommandGate gate;

  AgentDrains(Allocator core, KeyValueStore<String, byte[]> store, Outbox outbox, CommandGate gate) {
    this.core = core;
    this.store = store;
    this.outbox = outbox;
    this.gate = gate;
  }

  /** Re-applies the stored drains to a core rebuilt after a restart; returns how many. */
  int restore() {
    int count = 0;
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        core.restoreDrain(it.next().key);
        count++;
      }
    }
    return count;
  }

  /** Handles a drain or undrain command; returns the core's decisions (rescinded offers) to carry out. */
  Decisions onCommand(Command command, Instant now) {
    Optional<String> denied = gate.denies(command);
    if (denied.isPresent()) {
      answer(command, CommandStatus.REJECTED, denied.get(), now);
      return Decisions.NONE;
    }
    if (command.getPayload() instanceof DrainAgent drain) {
      return drain(command, drain.getAgentId(), now);
    }
    return undrain(command, ((UndrainAgent) command.getPayload()).getAgentId(), now);
  }

  /** Says AGENT_DRAINED once the last task of a draining agent ended. */
  void taskEnded(String agentId, Instant now) {
    taskEnded(agentId, core.isDrained(agentId), now);
  }

  /** As above, with whether the agent was drained when its task ended, which the core told then. */
  void taskEnded(String agentId, boolean drained, Instant now) {
    if (drained && !Arrays.equals(store.get(agentId), DRAINED)) {
      store.put(agentId, DRAINED);
      status(agentId, "AGENT_DRAINED", "agent " + agentId + " is drained: no task left on it; it can be stopped"
          + " with nothing lost (kos agent undrain " + agentId + " offers it again)", now);
    }
  }

  private Decisions drain(Command command, String agentId, Instant now) {
    Decisions decisions = core.drain(agentId);
    if (!decisions.rejections().isEmpty()) {
      answer(command, CommandStatus.REJECTED, decisions.rejections().get(0).reason(), now);
      return decisions;
    }
    answer(command, CommandStatus.ACCEPTED, null, now);
    if (store.get(agentId) == null) {
      store.put(agentId, DRAINING);
      status(agentId, "AGENT_DRAINING", "agent " + agentId + " is draining: no new offers; its "
          + core.tasksOn(agentId) + " tasks keep running until their frameworks move them", now);
    }
    taskEnded(agentId, now);
    return decisions;
  }

  private Decisions undrain(Command command, String agentId, Instant now) {
    Decisions decisions = core.undrain(agentId);
    if (!decisions.rejections().isEmpty()) {
      answer(command, CommandStatus.REJECTED, decisions.rejections().get(0).reason(), now);
      return decisions;
    }
    answer(command, CommandStatus.ACCEPTED, null, now);
    if (store.get(agentId) != null) {
      store.delete(agentId);
      status(agentId, "AGENT_UNDRAINED", "agent " + agentId + " is offered again", now);
    }
    return decisions;
  }

  private void answer(Command command, CommandStatus status, String reason, Instant now) {
    ProcessMetrics.commandAnswered(HANDLED_BY, status.toString());
    outbox.send(Topics.COMMAND_RESULTS, command.getCommandId(), CommandResult.newBuilder()
        .setCommandId(command.getCommandId()).setStatus(status).setReason(reason).setHandledBy(HANDLED_BY)
        .setTimestamp(now).build());
  }

  private void status(String agentId, String kind, String message, Instant now) {
    outbox.send(Topics.STATUS, agentId, StatusEvent.newBuilder().setTarget(agentId).setFramework(HANDLED_BY)
        .setKind(kind).setAgentId(agentId).setCounts(Map.of("tasks", core.tasksOn(agentId))).setMessage(message)
        .setTimestamp(now).build());
  }
}
