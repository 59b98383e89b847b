package dev.kos.cli.cluster;

import dev.kos.schema.StatusEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which agents an operator drained, from the allocator's drain events on {@code kos.status} (AGENT_DRAINING, then
 * AGENT_DRAINED; AGENT_UNDRAINED ends it): the allocator holds a drain, not the agent, whose own report never says
 * so. Feed events in topic order.
 */
final class AgentDrainStates {

  static final String ALLOCATOR = "allocator";

  private final Map<String, String> byAgent = new HashMap<>();

  void seen(StatusEvent event) {
    if (!ALLOCATOR.equals(event.getFramework())) {
      return;
    }
    switch (event.getKind()) {
      case "AGENT_DRAINING" -> byAgent.put(event.getTarget(), "draining");
      case "AGENT_DRAINED" -> byAgent.put(event.getTarget(), "drained");
      case "AGENT_UNDRAINED" -> byAgent.remove(event.getTarget());
      default -> {
      }
    }
  }

  /** "draining" or "drained" for a drained agent; empty for one that is offered. */
  Optional<String> of(String agentId) {
    return Optional.ofNullable(byAgent.get(agentId));
  }
}
