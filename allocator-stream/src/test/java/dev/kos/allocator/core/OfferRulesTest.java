package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per offer rule: a cluster, then the offers the next round must make, in the order made. */
class OfferRulesTest {

  record Row(String name, Consumer<AllocatorHarness> cluster, String expectedOffers) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a lone framework is offered all of an agent",
            h -> h.agent("a1", 4, 4096).framework("f1", "web"),
            "f1@a1 4/4096"),
        new Row("no framework, no offers",
            h -> h.agent("a1", 4, 4096),
            ""),
        new Row("a suppressed framework gets nothing",
            h -> h.agent("a1", 4, 4096).framework("f1", "web").framework("f2", "web")
                .allocator.suppress("f1"),
            "f2@a1 4/4096"),
        new Row("a revived framework is offered again",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").allocator.suppress("f1");
              h.allocator.revive("f1");
            },
            "f1@a1 4/4096"),
        new Row("an outstanding offer is not remade",
            h -> h.agent("a1", 4, 4096).framework("f1", "web").round(),
            ""),
        new Row("a declined agent goes to another framework while refused",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").framework("f2", "web").round();
              h.decline("f1", "a1", Duration.ofSeconds(5));
              h.advanceSeconds(4);
            },
            "f2@a1 4/4096"),
        new Row("a decline with the default refusal withholds the agent",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.allocator.decline("f1", List.of(h.offer("f1", "a1").offerId()), h.now);
              h.advance(Duration.ofMillis(4_999));
            },
            ""),
        new Row("a declined agent is offered again once the refusal ends",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.decline("f1", "a1", Duration.ofSeconds(5));
              h.advanceSeconds(5);
            },
            "f1@a1 4/4096"),
        new Row("revive forgets decline filters",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").round();
              h.decline("f1", "a1", Duration.ofSeconds(60));
              h.allocator.revive("f1");
            },
            "f1@a1 4/4096"),
        new Row("roles share agents in proportion to weight (3:1)",
            h -> h.role(RoleConfig.defaults("a").withWeight(3)).framework("fa", "a").framework("fb", "b")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096)
                .agent("a4", 4, 4096),
            "fa@a1 4/4096, fb@a2 4/4096, fa@a3 4/4096, fa@a4 4/4096"),
        new Row("the role with the lower dominant share goes first",
            h -> h.agent("a1", 4, 4096).framework("fa", "a").framework("fb", "b")
                .fill("fa", "a1", "t1").agent("a2", 4, 4096),
            "fb@a2 4/4096"),
        new Row("frameworks of one role take turns",
            h -> h.framework("f1", "web").framework("f2", "web")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096),
            "f1@a1 4/4096, f2@a2 4/4096, f1@a3 4/4096"),
        new Row("a role below its guarantee is served before fair sharing",
            h -> h.role(RoleConfig.defaults("a").withWeight(100))
                .role(RoleConfig.defaults("g").withGuarantee(Resources.of(8, 8192)))
                .framework("fa", "a").framework("fg", "g")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096)
                .agent("a4", 4, 4096),
            "fg@a1 4/4096, fg@a2 4/4096, fa@a3 4/4096, fa@a4 4/4096"),
        new Row("without a guarantee the heavier role wins those agents",
            h -> h.role(RoleConfig.defaults("a").withWeight(100))
                .framework("fa", "a").framework("fg", "g")
                .agent("a1", 4, 4096).agent("a2", 4, 4096).agent("a3", 4, 4096)
                .agent("a4", 4, 4096),
            "fa@a1 4/4096, fg@a2 4/4096, fa@a3 4/4096, fa@a4 4/4096"),
        new Row("an offer is cut to the role's quota limit",
            h -> h.role(RoleConfig.defaults("web").withLimit(Resources.of(3, 3000)))
                .framework("f1", "web").agent("a1", 4, 4096).agent("a2", 4, 4096),
            "f1@a1 3/3000"),
        new Row("a role at its limit gets nothing, what it could not take goes to others",
            h -> h.role(RoleConfig.defaults("web").withLimit(Resources.of(4, 4096)))
                .framework("f1", "web").framework("f2", "zzz")
                .agent("a1", 4, 4096).fill("f1", "a1", "t1").agent("a2", 4, 4096),
            "f2@a2 4/4096"),
        new Row("resources reserved for a role are not offered to another",
            h -> h.agentReservedFor("a1", 4, 4096, "db", 2, 2048).framework("f1", "web"),
            "f1@a1 2/2048"),
        new Row("a role is offered its reservation with the unreserved rest",
            h -> h.agentReservedFor("a1", 4, 4096, "db", 2, 2048).framework("f1", "db"),
            "f1@a1 4/4096 [reserved 2/2048]"),
        new Row("the reserved role gets its reservation even after another took the rest",
            h -> h.agentReservedFor("a1", 4, 4096, "db", 2, 2048).framework("f1", "aaa")
                .framework("f2", "db"),
            "f1@a1 2/2048, f2@a1 2/2048 [reserved 2/2048]"),
        new Row("a dynamic reservation goes only to its role",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web");
              h.allocator.reserve("a1", "db", Resources.of(1, 1024));
            },
            "f1@a1 3/3072"),
        new Row("an unreserved reservation returns to everyone",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web");
              h.allocator.reserve("a1", "db", Resources.of(1, 1024));
              h.allocator.unreserve("a1", "db", Resources.of(1, 1024));
            },
            "f1@a1 4/4096"),
        new Row("a draining agent is not offered",
            h -> h.agent(AgentSpec.of("a1", Resources.of(4, 4096)).withDraining(true))
                .framework("f1", "web"),
            ""),
        new Row("crumbs below the minimum allocatable are not offered",
            h -> h.agent("a1", 0.005, 16).framework("f1", "web"),
            ""),
        new Row("the remainder of an accepted offer is offered again",
            h -> {
              h.agent("a1", 4, 4096).framework("f1", "web").framework("f2", "web").round();
              h.accept("f1", "a1", AllocatorHarness.task("t1", 1, 1024));
            },
            "f2@a1 3/3072"),
        new Row("a role at its utilization threshold gets no new offers",
            h -> h.role(RoleConfig.defaults("spark").withMaxClusterUtilization(0.5))
                .agent("a1", 4, 4096).framework("fs", "spark")
                .fill("fs", "a1", "t1").agent("a2", 4, 4096),
            ""),
        new Row("a role below its utilization threshold is offered",
            h -> h.role(RoleConfig.defaults("spark").withMaxClusterUtilization(0.6))
                .agent("a1", 4, 4096).framework("fs", "spark")
                .fill("fs", "a1", "t1").agent("a2", 4, 4096),
            "fs@a2 4/4096"),
        new Row("a higher-priority role keeps its offers above another role's threshold",
            h -> h.role(RoleConfig.defaults("spark").withMaxClusterUtilization(0.5))
                .role(RoleConfig.defaults("web").withPriority(10))
                .agent("a1", 4, 4096).framework("fs", "spark").framework("fw", "web")
                .fill("fs", "a1", "t1").agent("a2", 4, 4096),
            "fw@a2 4/4096"),
        new Row("a lower-priority role yields at a higher-priority role's threshold",
            h -> h.role(RoleConfig.defaults("spark").withPriority(5).withMaxClusterUtilization(0.5))
                .agent("a1", 4, 4096).framework("fs", "spark").framework("ft", "tests")
                .fill("fs", "a1", "t1").agent("a2", 4, 4096),
            ""),
        new Row("utilization is dominant: memory alone can cross the threshold",
            h -> {
              h.role(RoleConfig.defaults("spark").withMaxClusterUtilization(0.5))
                  .agent("a1", 8, 4096).framework("fs", "spark").round();
              h.accept("fs", "a1", AllocatorHarness.task("t1", 1, 4096));
              h.agent("a2", 8, 4096);
            },
            ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldOfferAsTheRuleSays(Row row) {
    AllocatorHarness harness = AllocatorHarness.create();
    row.cluster().accept(harness);

    Decisions decisions = harness.round();

    assertThat(AllocatorHarness.describe(decisions.offers())).isEqualTo(row.expectedOffers());
  }
}
