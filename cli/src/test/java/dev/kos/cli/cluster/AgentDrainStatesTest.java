package dev.kos.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.StatusEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** `kos agent list`'s STATE for a drained agent comes from the allocator's events: the agent never reports it. */
class AgentDrainStatesTest {

  static Stream<Arguments> histories() {
    return Stream.of(
        Arguments.of("never drained", List.of(), Optional.empty()),
        Arguments.of("drain asked", List.of(event("allocator", "AGENT_DRAINING", "a1")), Optional.of("draining")),
        Arguments.of("last task ended", List.of(event("allocator", "AGENT_DRAINING", "a1"),
            event("allocator", "AGENT_DRAINED", "a1")), Optional.of("drained")),
        Arguments.of("undrained", List.of(event("allocator", "AGENT_DRAINING", "a1"),
            event("allocator", "AGENT_DRAINED", "a1"), event("allocator", "AGENT_UNDRAINED", "a1")), Optional.empty()),
        Arguments.of("drained again", List.of(event("allocator", "AGENT_DRAINING", "a1"),
            event("allocator", "AGENT_UNDRAINED", "a1"), event("allocator", "AGENT_DRAINING", "a1")),
            Optional.of("draining")),
        Arguments.of("another agent", List.of(event("allocator", "AGENT_DRAINING", "a2")), Optional.empty()),
        Arguments.of("not the allocator's", List.of(event("apps", "AGENT_DRAINING", "a1")), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void shouldFollowTheAllocatorsDrainEvents(String name, List<StatusEvent> events, Optional<String> state) {
    AgentDrainStates drains = new AgentDrainStates();
    events.forEach(drains::seen);

    assertThat(drains.of("a1")).isEqualTo(state);
  }

  private static StatusEvent event(String framework, String kind, String agent) {
    return StatusEvent.newBuilder().setTarget(agent).setFramework(framework).setKind(kind).setMessage(kind)
        .setTimestamp(Instant.EPOCH).build();
  }
}
