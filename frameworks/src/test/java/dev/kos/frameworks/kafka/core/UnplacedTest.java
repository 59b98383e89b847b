package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UnplacedTest {

  private static final BrokerOffer ROOMY = Harness.free("o9", "a9", 31900);
  private static final BrokerOffer SMALL = new BrokerOffer("o8", "a8", "a8", Resources.of(0.1, 256, 100),
      List.of(new PortRange(31800, 31809)), Resources.NONE, List.of());
  private static final BrokerOffer PORTLESS = new BrokerOffer("o7", "a7", "a7", Resources.of(4, 4096, 10_000),
      List.of(), Resources.NONE, List.of());

  /** A cluster of 3 whose brokers 1 and 2 were placed on a1 and a2: the README's `kos up` with two agents. */
  private static Harness twoPlaced() {
    Harness h = Harness.withCluster("demo", 3);
    h.plan(Harness.free("o1", "a1", 31000), Harness.free("o2", "a2", 32000));
    return h;
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("both agents already hold a broker", List.of(Harness.free("o3", "a1", 31100),
            Harness.free("o4", "a2", 32100)), Optional.of("broker 3 unplaced: kos runs one broker of a cluster per "
                + "agent, and the agents offering already run one of demo's: its brokers hold 2 agents (a1, a2), so "
                + "its 3 brokers need 3 agents; start another agent (`kos agent`, or `kos up --agents 3`), or create "
                + "the cluster with fewer brokers")),
        Arguments.of("one agent offering", List.of(Harness.free("o3", "a2", 32100)),
            Optional.of("broker 3 unplaced: kos runs one broker of a cluster per agent, and the agents offering "
                + "already run one of demo's: its brokers hold 2 agents (a1, a2), so its 3 brokers need 3 agents; "
                + "start another agent (`kos agent`, or `kos up --agents 3`), or create the cluster with fewer "
                + "brokers")),
        Arguments.of("too small", List.of(SMALL), Optional.of("broker 3 unplaced: no agent offering has 0.5 cpus, "
            + "768 MiB memory and 1024 MiB disk free for it (--cpus, --mem, --disk)")),
        Arguments.of("no ports", List.of(PORTLESS), Optional.of("broker 3 unplaced: no agent offering has 3 free "
            + "ports for it")),
        Arguments.of("every kind at once", List.of(Harness.free("o3", "a1", 31100), SMALL, PORTLESS),
            Optional.of("broker 3 unplaced: kos runs one broker of a cluster per agent, and the agents offering "
                + "already run one of demo's: its brokers hold 2 agents (a1, a2), so its 3 brokers need 3 agents; "
                + "start another agent (`kos agent`, or `kos up --agents 3`), or create the cluster with fewer "
                + "brokers; no agent offering has 0.5 cpus, 768 MiB memory and 1024 MiB disk free for it (--cpus, "
                + "--mem, --disk); no agent offering has 3 free ports for it")),
        Arguments.of("one offer fits", List.of(SMALL, ROOMY), Optional.empty()),
        Arguments.of("no offers: nothing known", List.of(), Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void shouldSayWhyNoOfferTakesTheBroker(String name, List<BrokerOffer> offers, Optional<String> why) {
    Harness h = twoPlaced();

    assertThat(Unplaced.why(h.cluster("demo"), h.broker("demo", 3), offers)).isEqualTo(why);
  }

  @Test
  void shouldReportTheThirdBrokerOfACreateOnTwoAgentsUnplaced() {
    Harness h = twoPlaced();

    Plan plan = h.plan(Harness.free("o3", "a1", 31100), Harness.free("o4", "a2", 32100));

    assertThat(plan.actions(Action.Notice.class)).singleElement().satisfies(notice -> {
      assertThat(notice.kind()).isEqualTo(Unplaced.KIND);
      assertThat(notice.nodeId()).isEqualTo(3);
      assertThat(notice.message()).startsWith("broker 3 unplaced: kos runs one broker of a cluster per agent");
    });
    assertThat(h.broker("demo", 3).phase()).isEqualTo(BrokerPhase.NEW);
  }

  @Test
  void shouldSayNothingOfABrokerPlacedInTheSameRound() {
    Harness h = Harness.withCluster("demo", 3);

    Plan plan = h.plan(Harness.free("o1", "a1", 31000), Harness.free("o2", "a2", 32000),
        Harness.free("o3", "a3", 33000));

    assertThat(plan.actions(Action.Notice.class)).isEmpty();
  }
}
