package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Brokers spread over the agents' zones: at most ceil(N / zones) per zone, fewest-first. */
class ZoneSpreadTest {

  static BrokerOffer zoned(String offerId, String agent, String zone, int firstPort) {
    return new BrokerOffer(offerId, agent, agent, Resources.of(2, 4096, 10_000),
        List.of(new PortRange(firstPort, firstPort + 9)), Resources.NONE, List.of(), Optional.ofNullable(zone));
  }

  static Stream<Arguments> spreads() {
    return Stream.of(
        Arguments.of("3 brokers, 3 zones (two agents in z1 offer first): the controllers in distinct zones", 3,
            List.of(zoned("o1", "a1", "z1", 31000), zoned("o2", "a2", "z1", 32000), zoned("o3", "a3", "z2", 33000),
                zoned("o4", "a4", "z3", 34000)), List.of("a1", "a3", "a4")),
        Arguments.of("4 brokers, 2 zones: 2 per zone", 4,
            List.of(zoned("o1", "a1", "z1", 31000), zoned("o2", "a2", "z1", 32000), zoned("o3", "a3", "z1", 33000),
                zoned("o4", "a4", "z2", 34000), zoned("o5", "a5", "z2", 35000)), List.of("a1", "a4", "a2", "a5")),
        Arguments.of("no zones: the first fitting agents, as before", 3,
            List.of(zoned("o1", "a1", null, 31000), zoned("o2", "a2", null, 32000), zoned("o3", "a3", null, 33000)),
            List.of("a1", "a2", "a3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("spreads")
  void shouldSpreadBrokersOverZones(String name, int brokers, List<BrokerOffer> offers, List<String> agents) {
    Harness h = Harness.withCluster("c", brokers);

    Plan plan = h.plan(offers.toArray(BrokerOffer[]::new));

    assertThat(plan.actions(Action.Reserve.class)).extracting(Action.Reserve::agentId)
        .containsExactlyElementsOf(agents);
  }

  @Test
  void shouldLeaveABrokerUnplacedRatherThanPutTooManyInOneZoneAndSayWhy() {
    Harness h = Harness.withCluster("c", 4);
    h.plan(zoned("o1", "a1", "z1", 31000), zoned("o2", "a2", "z1", 32000), zoned("o3", "a3", "z1", 33000),
        zoned("o4", "a4", "z2", 34000));
    assertThat(h.cluster("c").brokers()).filteredOn(b -> b.phase() == BrokerPhase.NEW).hasSize(1);

    Plan plan = h.plan(zoned("o5", "a3", "z1", 33100), zoned("o6", "a4", "z2", 34100));

    assertThat(plan.actions(Action.Reserve.class)).isEmpty();
    assertThat(plan.actions(Action.Notice.class)).singleElement().satisfies(n -> assertThat(n.message())
        .contains("the zones offering hold 2 of its brokers each already", "ceil(4 brokers / 2 zones)"));
  }
}
