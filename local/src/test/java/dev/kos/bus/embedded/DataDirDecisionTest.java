package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DataDirDecisionTest {

  private static final Path DIR = Path.of("/var/kos/broker");
  private static final String CLUSTER = "q1Sh-9_ISia_zwGINzRvyQ";
  private static final BrokerPorts RECORDED_PORTS = new BrokerPorts(19092, 19093);
  private static final BrokerRecord RECORD = new BrokerRecord(CLUSTER, 1, RECORDED_PORTS);
  private static final FormattedStorage STORAGE = new FormattedStorage(CLUSTER, 1);

  /** A formatted kos directory whose broker stopped cleanly. */
  private static DataDirSnapshot stopped() {
    return new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.of(STORAGE), OptionalLong.empty(), false, false);
  }

  private static DataDirSnapshot withPid(long pid, boolean alive) {
    return new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.of(STORAGE), OptionalLong.of(pid), alive, false);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("empty dir, any ports -> format, launcher picks",
            DataDirSnapshot.empty(DIR), BrokerPorts.ANY, Set.of(),
            new DataDirVerdict.Format(BrokerPorts.ANY)),
        Arguments.of("empty dir, free requested ports -> format on them",
            DataDirSnapshot.empty(DIR), new BrokerPorts(9092, 9093), Set.of(),
            new DataDirVerdict.Format(new BrokerPorts(9092, 9093))),
        Arguments.of("record but storage deleted -> format again on the recorded ports",
            new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.empty(), OptionalLong.empty(), false, false),
            BrokerPorts.ANY, Set.of(),
            new DataDirVerdict.Format(RECORDED_PORTS)),
        Arguments.of("cleanly stopped -> reuse recorded ports",
            stopped(), BrokerPorts.ANY, Set.of(),
            new DataDirVerdict.Reuse(RECORD, OptionalLong.empty())),
        Arguments.of("explicit port overrides the recorded one",
            stopped(), new BrokerPorts(29092, 0), Set.of(),
            new DataDirVerdict.Reuse(RECORD.withPorts(new BrokerPorts(29092, 19093)), OptionalLong.empty())),
        Arguments.of("previous broker died -> reuse and report its pid",
            withPid(4242, false), BrokerPorts.ANY, Set.of(),
            new DataDirVerdict.Reuse(RECORD, OptionalLong.of(4242))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void shouldAccept(String name, DataDirSnapshot found, BrokerPorts requested, Set<Integer> busyPorts,
      DataDirVerdict expected) {
    assertThat(DataDirDecision.decide(found, requested, busyPorts::contains)).isEqualTo(expected);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("live broker by pid",
            withPid(4242, true), Set.of(),
            List.of("in use by a running broker (pid 4242)", "kill 4242", "--data-dir")),
        Arguments.of("lock held by an unknown process",
            new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.of(STORAGE), OptionalLong.empty(), false, true),
            Set.of(),
            List.of("another process holds Kafka's lock", "--data-dir")),
        Arguments.of("formatted for another node id",
            new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.of(new FormattedStorage(CLUSTER, 3)),
                OptionalLong.empty(), false, false),
            Set.of(),
            List.of("node.id=3", "node.id=1", "Delete the directory")),
        Arguments.of("storage not made by kos",
            new DataDirSnapshot(DIR, Optional.empty(), Optional.of(STORAGE), OptionalLong.empty(), false, false),
            Set.of(),
            List.of("did not create", "kos-broker.properties")),
        Arguments.of("record and storage name different clusters",
            new DataDirSnapshot(DIR, Optional.of(RECORD), Optional.of(new FormattedStorage("other", 1)),
                OptionalLong.empty(), false, false),
            Set.of(),
            List.of("cluster " + CLUSTER, "cluster other")),
        Arguments.of("recorded broker port taken by someone else",
            stopped(), Set.of(19092),
            List.of("broker port 19092", "is recorded in", "another process is listening")),
        Arguments.of("recorded controller port taken by someone else",
            stopped(), Set.of(19093),
            List.of("controller port 19093")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void shouldRefuseWithAReasonAndARemedy(String name, DataDirSnapshot found, Set<Integer> busyPorts,
      List<String> messageParts) {
    DataDirVerdict verdict = DataDirDecision.decide(found, BrokerPorts.ANY, busyPorts::contains);

    assertThat(verdict).isInstanceOf(DataDirVerdict.Refuse.class);
    assertThat(((DataDirVerdict.Refuse) verdict).reason()).contains(messageParts);
  }

  @ParameterizedTest(name = "requested {0} busy")
  @MethodSource("requestedBusyPorts")
  void shouldRefuseARequestedPortThatIsBusy(BrokerPorts requested, int busy) {
    DataDirVerdict verdict = DataDirDecision.decide(DataDirSnapshot.empty(DIR), requested, Set.of(busy)::contains);

    assertThat(verdict).isInstanceOf(DataDirVerdict.Refuse.class);
    assertThat(((DataDirVerdict.Refuse) verdict).reason()).contains("port " + busy + " was requested");
  }

  static Stream<Arguments> requestedBusyPorts() {
    return Stream.of(
        Arguments.of(new BrokerPorts(9092, 0), 9092),
        Arguments.of(new BrokerPorts(9092, 9093), 9093));
  }
}
