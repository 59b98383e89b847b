package dev.kos.agent.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ResourceLedgerTest {
  private static final ResourceSet AGENT = new ResourceSet(4, 1000, 1000, List.of(new PortRange(31000, 31010)));
  private static final ResourceSet HELD = new ResourceSet(3, 600, 0, List.of(new PortRange(31000, 31000)));

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of("what is free fits", resources(1, 400, List.of()), null),
        Arguments.of("fractional cpus that sum exactly fit", resources(0.7 + 0.2 + 0.1, 0, List.of()), null),
        Arguments.of("too many cpus", resources(1.5, 0, List.of()), "cpus wanted 1.5, free 1.0 of 4.0"),
        Arguments.of("too much memory", resources(0, 401, List.of()), "mem wanted 401.0"),
        Arguments.of("a port outside the agent's ranges", resources(0, 0, List.of(new PortRange(8080, 8080))),
            "port 8080 is not in this agent's port ranges"),
        Arguments.of("a port another task holds", resources(0, 0, List.of(new PortRange(31000, 31001))),
            "port 31000 is already used by another task"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requests")
  void shouldReserveOrSayWhy(String name, ResourceSet wanted, String expectedReason) {
    ResourceLedger ledger = new ResourceLedger(AGENT);
    ledger.reserve("held", HELD);

    Optional<String> answer = ledger.reserve("new", wanted);

    if (expectedReason == null) {
      assertThat(answer).isEmpty();
    } else {
      assertThat(answer).hasValueSatisfying(reason -> assertThat(reason)
          .startsWith("not enough resources on this agent").contains(expectedReason));
    }
  }

  @Test
  void shouldFreeWhatIsReleased() {
    ResourceLedger ledger = new ResourceLedger(AGENT);
    ledger.reserve("held", HELD);
    ledger.release("held");

    assertThat(ledger.used()).isEqualTo(new ResourceSet(0, 0, 0, List.of()));
    assertThat(ledger.reserve("big", AGENT)).isEmpty();
  }

  @Test
  void shouldRefuseToReserveTwiceForOneTask() {
    ResourceLedger ledger = new ResourceLedger(AGENT);
    ledger.reserve("held", HELD);

    assertThat(ledger.reserve("held", resources(0, 0, List.of()))).hasValueSatisfying(
        reason -> assertThat(reason).contains("already holds"));
  }

  private static ResourceSet resources(double cpus, double mem, List<PortRange> ports) {
    return new ResourceSet(cpus, mem, 0, ports);
  }
}
