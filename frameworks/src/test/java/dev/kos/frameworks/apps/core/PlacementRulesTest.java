package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Constraint.Operator.CLUSTER;
import static dev.kos.frameworks.apps.core.Constraint.Operator.GROUP_BY;
import static dev.kos.frameworks.apps.core.Constraint.Operator.LIKE;
import static dev.kos.frameworks.apps.core.Constraint.Operator.MAX_PER;
import static dev.kos.frameworks.apps.core.Constraint.Operator.UNIQUE;
import static dev.kos.frameworks.apps.core.Constraint.Operator.UNLIKE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule and verdict: the rule, the offering agent, the agents the app's instances are on
 * (oldest first), and the verdict as {@code fits} or {@code STATIC|DYNAMIC <rule>: <reason>}.
 */
class PlacementRulesTest {

  record Row(String name, PlacementRule rule, Agent offering, List<Agent> placed, String verdict) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final Agent A1 = agent("a1", "rack", "r1");
  private static final Agent A2 = agent("a2", "rack", "r2");
  private static final Agent A3 = agent("a3", "rack", "r1");
  private static final Agent BARE = new Agent("a9", "a9", Map.of());

  static Stream<Row> rows() {
    return Stream.of(
        new Row("UNIQUE hostname fits a new host", unique("hostname"), A1, List.of(A2), "fits"),
        new Row("UNIQUE hostname vetoes a host that runs one", unique("hostname"), A1, List.of(A2, A1),
            "DYNAMIC UNIQUE hostname: already runs an instance"),
        new Row("UNIQUE rack vetoes another agent of a used rack", unique("rack"), A3, List.of(A1),
            "DYNAMIC UNIQUE rack: already runs an instance"),
        new Row("UNIQUE on a missing attribute is static", unique("rack"), BARE, List.of(),
            "STATIC UNIQUE rack: agent has no attribute rack"),
        new Row("CLUSTER with a value fits that value", cluster("rack", "r1"), A3, List.of(), "fits"),
        new Row("CLUSTER with a value vetoes another value for good", cluster("rack", "r1"), A2, List.of(),
            "STATIC CLUSTER rack:r1: is not rack=r1"),
        new Row("CLUSTER without a value fits anywhere at first", cluster("rack", null), A2, List.of(), "fits"),
        new Row("CLUSTER without a value pins to the first used", cluster("rack", null), A2, List.of(A1, A2),
            "DYNAMIC CLUSTER rack: instances are pinned to rack=r1 where the first one runs"),
        new Row("CLUSTER without a value fits the pinned value", cluster("rack", null), A3, List.of(A1), "fits"),
        new Row("GROUP_BY 2 wants a second value first", groupBy("rack", "2"), A3, List.of(A1),
            "DYNAMIC GROUP_BY rack:2: already has an instance while fewer than 2 values are used"),
        new Row("GROUP_BY 2 takes a new value", groupBy("rack", "2"), A2, List.of(A1), "fits"),
        new Row("GROUP_BY vetoes the fuller value", groupBy("rack", "2"), A3, List.of(A1, A2, A1),
            "DYNAMIC GROUP_BY rack:2: has more instances than another rack"),
        new Row("GROUP_BY fits the emptier value", groupBy("rack", "2"), A2, List.of(A1, A2, A1), "fits"),
        new Row("GROUP_BY without a number fits values in balance", groupBy("rack", null), A3, List.of(A1, A2),
            "fits"),
        new Row("MAX_PER fits below the cap", maxPer("rack", "2"), A3, List.of(A1), "fits"),
        new Row("MAX_PER vetoes at the cap", maxPer("rack", "2"), A3, List.of(A1, A2, A1),
            "DYNAMIC MAX_PER rack:2: already runs 2 instances"),
        new Row("LIKE fits a match of the whole value", like("rack", "r[12]"), A2, List.of(), "fits"),
        new Row("LIKE vetoes a mismatch for good", like("rack", "r2"), A1, List.of(),
            "STATIC LIKE rack:r2: does not match r2"),
        new Row("LIKE on hostname", like("hostname", "a[0-9]"), A1, List.of(), "fits"),
        new Row("LIKE on a missing attribute is static", like("rack", ".*"), BARE, List.of(),
            "STATIC LIKE rack:.*: agent has no attribute rack"),
        new Row("UNLIKE vetoes a match for good", unlike("rack", "r1"), A1, List.of(),
            "STATIC UNLIKE rack:r1: matches r1"),
        new Row("UNLIKE fits a mismatch", unlike("rack", "r1"), A2, List.of(), "fits"),
        new Row("UNLIKE fits a missing attribute", unlike("rack", "r1"), BARE, List.of(), "fits"),
        new Row("resources fit", resources(2, 512, 0), A1, List.of(), "fits"),
        new Row("too few cpus now", resources(8, 512, 0), A1, List.of(),
            "DYNAMIC resources: not enough free (needs 8.0 cpus)"),
        new Row("too little mem and disk now", resources(1, 4096, 20_000), A1, List.of(),
            "DYNAMIC resources: not enough free (needs 4096.0 MiB mem, 20000.0 MiB disk)"),
        new Row("ports fit", ports(8080, 0), A1, List.of(), "fits"),
        new Row("a fixed port not offered", ports(9090), A1, List.of(), "DYNAMIC ports: port 9090 not free"),
        new Row("more ports than offered", ports(0, 0, 0, 0), A1, List.of(),
            "DYNAMIC ports: not enough free ports (needs 4)"),
        new Row("residency fits its agent", new ResidencyRule("a1"), A1, List.of(), "fits"),
        new Row("residency vetoes other agents for good", new ResidencyRule("a1"), A2, List.of(),
            "STATIC residency: the instance's volumes live on agent a1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldJudgeTheOffer(Row row) {
    PlannerOffer offer = new PlannerOffer("o1", row.offering(), Resources.of(4, 2048, 10_000),
        new Ports(List.of(new PortRange(8080, 8082))));

    Verdict verdict = row.rule().evaluate(offer, row.placed());

    assertThat(describe(verdict)).isEqualTo(row.verdict());
  }

  private static String describe(Verdict verdict) {
    return verdict instanceof Verdict.Vetoed vetoed
        ? vetoed.kind() + " " + vetoed.rule() + ": " + vetoed.reason()
        : "fits";
  }

  private static Agent agent(String id, String key, String value) {
    return new Agent(id, id, Map.of(key, value));
  }

  private static PlacementRule unique(String field) {
    return PlacementRules.forConstraint(Constraint.of(field, UNIQUE));
  }

  private static PlacementRule cluster(String field, String value) {
    return PlacementRules.forConstraint(value == null ? Constraint.of(field, CLUSTER)
        : Constraint.of(field, CLUSTER, value));
  }

  private static PlacementRule groupBy(String field, String value) {
    return PlacementRules.forConstraint(value == null ? Constraint.of(field, GROUP_BY)
        : Constraint.of(field, GROUP_BY, value));
  }

  private static PlacementRule maxPer(String field, String value) {
    return PlacementRules.forConstraint(Constraint.of(field, MAX_PER, value));
  }

  private static PlacementRule like(String field, String value) {
    return PlacementRules.forConstraint(Constraint.of(field, LIKE, value));
  }

  private static PlacementRule unlike(String field, String value) {
    return PlacementRules.forConstraint(Constraint.of(field, UNLIKE, value));
  }

  private static PlacementRule resources(double cpus, double mem, double disk) {
    return new ResourcesFitRule(Resources.of(cpus, mem, disk));
  }

  private static PlacementRule ports(int... ports) {
    return new PortsFitRule(Arrays.stream(ports).mapToObj(port -> new PortDefinition("p" + port, port)).toList());
  }
}
