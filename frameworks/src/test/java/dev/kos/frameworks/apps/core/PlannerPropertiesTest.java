package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The planner's invariants under random clusters and random sequences of events (Nomad's reconciler tests). */
class PlannerPropertiesTest {

  private static final double AGENT_CPUS = 8;

  @Property(tries = 300)
  void shouldKeepARollingUpgradeWithinItsBoundsAndFinishIt(
      @ForAll @IntRange(min = 1, max = 6) int instances,
      @ForAll("fractions") double minimumHealthCapacity,
      @ForAll("fractions") double maximumOverCapacity,
      @ForAll boolean healthChecked,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 999) Integer> events) {
    Apps app = app("/web").instances(instances).strategy(minimumHealthCapacity, maximumOverCapacity);
    if (healthChecked) {
      app.port("http", 0).httpHealthCheck();
    }
    PlannerHarness h = new PlannerHarness().app(app.version("v1")).agents(3);
    for (int i = 0; i < instances; i++) {
      h.instance("old-" + i, "/web", "v1", "a" + (i % 3 + 1), InstanceState.RUNNING, true, 100 + i);
    }
    h.app(app.version("v2"));
    UpgradeStrategy.Bounds bounds = h.apps.get("/web").upgradeStrategy().bounds(instances, false);

    for (int event : events) {
      happen(h, event);
      assertThat(h.healthy("/web")).as("healthy").isGreaterThanOrEqualTo(bounds.minHealthy());
      assertThat(h.liveOrKilling("/web")).as("running").isLessThanOrEqualTo(bounds.maxRunning());
    }
    for (int round = 0; round < 3 * instances + 3; round++) {
      settle(h);
      assertThat(h.healthy("/web")).as("healthy").isGreaterThanOrEqualTo(bounds.minHealthy());
      assertThat(h.liveOrKilling("/web")).as("running").isLessThanOrEqualTo(bounds.maxRunning());
    }
    assertThat(h.instances).as("finished").hasSize(instances)
        .allMatch(i -> i.version().equals("v2") && i.isHealthyAndRunning());
  }

  @Property(tries = 300)
  void shouldNeverLaunchMoreThanTheCountAndTheOverCapacityAllow(
      @ForAll @IntRange(min = 0, max = 8) int instances,
      @ForAll("fractions") double maximumOverCapacity,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 999) Integer> existing) {
    PlannerHarness h = new PlannerHarness().app(app("/web").instances(instances).strategy(0.5, maximumOverCapacity)
        .resources(0.5, 64, 0).version("v2")).agents(3).offerAll();
    for (int i = 0; i < existing.size(); i++) {
      InstanceState state = InstanceState.values()[existing.get(i) % InstanceState.values().length];
      h.instance("i" + i, "/web", existing.get(i) % 2 == 0 ? "v1" : "v2", "a1", state,
          state == InstanceState.RUNNING && existing.get(i) % 3 > 0, i);
    }
    UpgradeStrategy.Bounds bounds = h.apps.get("/web").upgradeStrategy().bounds(instances, false);
    long running = h.liveOrKilling("/web");
    long current = h.instances.stream().filter(i -> i.version().equals("v2") && i.state().isLive()).count();

    Plan plan = h.plan();

    assertThat(plan.launches().size()).isLessThanOrEqualTo((int) Math.max(0, bounds.maxRunning() - running));
    assertThat(plan.launches().size()).isLessThanOrEqualTo((int) Math.max(0, instances - current));
  }

  @Property(tries = 500)
  void shouldNeverPromiseMoreOfAnOfferThanItHas(
      @ForAll @Size(min = 1, max = 3) List<@From("apps") AppDefinition> apps,
      @ForAll @Size(min = 1, max = 4) List<@From("offers") PlannerOffer> offers) {
    PlannerHarness h = new PlannerHarness();
    for (int i = 0; i < apps.size(); i++) {
      AppDefinition app = apps.get(i);
      h.app(new AppDefinition("/app-" + i, app.cmd(), app.argv(), app.instances(), app.cpus(), app.mem(),
          app.disk(), app.ports(), app.env(), app.healthChecks(), app.constraints(), app.upgradeStrategy(),
          app.volumes(), app.role(), app.labels(), app.version(), app.scaling(), app.container(),
          app.loadBalancer(), app.user(), app.artifacts()));
    }
    for (int i = 0; i < offers.size(); i++) {
      PlannerOffer offer = offers.get(i);
      h.offer("a" + i, offer.resources(), offer.ports());
    }

    Plan plan = h.plan();

    Map<String, List<AppDecision.Launch>> byOffer = plan.launches().stream()
        .collect(Collectors.groupingBy(AppDecision.Launch::offerId));
    for (PlannerOffer offer : h.offers) {
      List<AppDecision.Launch> launches = byOffer.getOrDefault(offer.offerId(), List.of());
      Resources used = launches.stream().map(AppDecision.Launch::resources).reduce(Resources.NONE, Resources::plus);
      List<Integer> ports = launches.stream().flatMap(launch -> launch.ports().stream()).toList();
      assertThat(used.cpus()).isLessThanOrEqualTo(offer.resources().cpus() + 1e-9);
      assertThat(used.mem()).isLessThanOrEqualTo(offer.resources().mem() + 1e-9);
      assertThat(used.disk()).isLessThanOrEqualTo(offer.resources().disk() + 1e-9);
      assertThat(ports).doesNotHaveDuplicates().allMatch(offer.ports()::contains);
    }
  }

  @Property(tries = 300)
  void shouldNeverPlaceTwoUniqueInstancesOnOneHostname(
      @ForAll @IntRange(min = 1, max = 6) int agents,
      @ForAll @IntRange(min = 1, max = 4) int hostnames,
      @ForAll @IntRange(min = 1, max = 8) int instances,
      @ForAll @IntRange(min = 1, max = 4) int rounds) {
    PlannerHarness h = new PlannerHarness()
        .app(app("/web").instances(instances).resources(0.5, 64, 0).constraint("hostname", Constraint.Operator.UNIQUE));
    for (int i = 0; i < agents; i++) {
      h.agents.put("a" + i, new Agent("a" + i, "h" + (i % hostnames), Map.of()));
    }
    for (int round = 0; round < rounds; round++) {
      h.agents.keySet().forEach(agentId -> h.offer(agentId, 4, 4096));
      Plan plan = h.step();
      startAll(h);

      List<String> hosts = h.instances.stream().map(i -> i.agent().hostname()).toList();
      assertThat(hosts).doesNotHaveDuplicates();
      assertThat(h.instances).hasSize(Math.min(instances, Math.min(agents, hostnames)));
      assertThat(plan.unplaced()).allMatch(u -> u.count() == instances - h.instances.size());
    }
  }

  @Property(tries = 300)
  void shouldNeverPutMoreThanMaxPerInstancesOnOneRack(
      @ForAll @IntRange(min = 1, max = 6) int agents,
      @ForAll @IntRange(min = 1, max = 3) int racks,
      @ForAll @IntRange(min = 1, max = 3) int maxPer,
      @ForAll @IntRange(min = 1, max = 10) int instances,
      @ForAll @IntRange(min = 1, max = 4) int rounds) {
    PlannerHarness h = new PlannerHarness().app(app("/web").instances(instances).resources(0.5, 64, 0)
        .constraint("rack", Constraint.Operator.MAX_PER, String.valueOf(maxPer)));
    for (int i = 0; i < agents; i++) {
      h.agent("a" + i, "rack", "r" + (i % racks));
    }
    for (int round = 0; round < rounds; round++) {
      h.agents.keySet().forEach(agentId -> h.offer(agentId, 4, 4096));
      h.step();
      startAll(h);

      Map<String, Long> perRack = h.instances.stream()
          .collect(Collectors.groupingBy(i -> i.agent().attributes().get("rack"), Collectors.counting()));
      assertThat(perRack.values()).allMatch(count -> count <= maxPer);
      assertThat(h.instances).hasSize(Math.min(instances, maxPer * Math.min(agents, racks)));
    }
  }

  @Provide
  Arbitrary<Double> fractions() {
    return Arbitraries.of(0.0, 0.25, 0.5, 0.75, 1.0);
  }

  @Provide
  Arbitrary<AppDefinition> apps() {
    Arbitrary<List<PortDefinition>> ports = Arbitraries.oneOf(
        Arbitraries.just(List.of()),
        Arbitraries.just(List.of(new PortDefinition("http", 0))),
        Arbitraries.just(List.of(new PortDefinition("http", 31000), new PortDefinition("admin", 0))));
    return Combinators.combine(Arbitraries.integers().between(0, 6), Arbitraries.doubles().between(0.1, 3),
        Arbitraries.doubles().between(16, 2048), Arbitraries.doubles().between(0, 500), ports)
        .as((count, cpus, mem, disk, portList) -> {
          Apps app = app("/x").instances(count).resources(cpus, mem, disk);
          portList.forEach(port -> app.port(port.name(), port.port()));
          return app.build();
        });
  }

  @Provide
  Arbitrary<PlannerOffer> offers() {
    return Combinators.combine(Arbitraries.doubles().between(0, 8), Arbitraries.doubles().between(0, 8192),
        Arbitraries.doubles().between(0, 2000), Arbitraries.integers().between(0, 5))
        .as((cpus, mem, disk, portCount) -> new PlannerOffer("o", Agent.of("a"), Resources.of(cpus, mem, disk),
            portCount == 0 ? Ports.NONE : Ports.range(31000, 31000 + portCount - 1)));
  }

  /** One random event of an upgrade: a plan on the free capacity, a start, a health change, a kill, a failure. */
  private static void happen(PlannerHarness h, int event) {
    h.advance(Duration.ofSeconds(1));
    List<Instance> candidates;
    switch (event % 5) {
      case 0 -> {
        offerFreeCapacity(h);
        h.step();
        return;
      }
      case 1 -> candidates = pick(h, i -> i.state() == InstanceState.STAGING);
      case 2 -> candidates = pick(h, i -> i.state() == InstanceState.RUNNING && !i.healthy());
      case 3 -> candidates = pick(h, i -> i.state() == InstanceState.KILLING);
      default -> candidates = pick(h, i -> i.state().isLive() && !i.healthy());
    }
    if (candidates.isEmpty()) {
      return;
    }
    Instance chosen = candidates.get(event / 5 % candidates.size());
    switch (event % 5) {
      case 1 -> h.status(chosen.instanceId(), InstanceState.RUNNING, Optional.of(event % 2 == 0));
      case 2 -> h.status(chosen.instanceId(), InstanceState.RUNNING, Optional.of(true));
      case 3 -> h.status(chosen.instanceId(), InstanceState.KILLED, Optional.empty());
      default -> h.status(chosen.instanceId(), InstanceState.FAILED, Optional.empty());
    }
  }

  /** A round in which everything goes well: a plan, every start healthy, every kill done. */
  private static void settle(PlannerHarness h) {
    h.advance(Duration.ofMinutes(10));
    offerFreeCapacity(h);
    h.step();
    startAll(h);
    for (Instance instance : pick(h, i -> i.state() == InstanceState.KILLING)) {
      h.status(instance.instanceId(), InstanceState.KILLED, Optional.empty());
    }
  }

  private static void startAll(PlannerHarness h) {
    for (Instance instance : pick(h, i -> i.state().isLive() && !i.healthy())) {
      h.status(instance.instanceId(), InstanceState.RUNNING, Optional.of(true));
    }
  }

  private static List<Instance> pick(PlannerHarness h, Predicate<Instance> filter) {
    return h.instances.stream().filter(filter).toList();
  }

  /** One offer per agent of what its live and dying instances leave free. */
  private static void offerFreeCapacity(PlannerHarness h) {
    for (String agentId : h.agents.keySet()) {
      double used = h.instances.stream().filter(i -> i.agent().agentId().equals(agentId))
          .filter(i -> i.state().isLive() || i.state() == InstanceState.KILLING)
          .mapToDouble(i -> h.apps.get(i.appId()).cpus()).sum();
      if (used < AGENT_CPUS) {
        h.offer(agentId, Resources.of(AGENT_CPUS - used, 65536, 100_000), Ports.range(31000, 31099));
      }
    }
  }
}
