package dev.kos.frameworks.apps.core;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** One run of the {@link Planner}: working copies of the offers and the decisions so far. Used once. */
final class PlanRound {

  /** Which instances go first when some must: unhealthy, then not yet running, then the newest. */
  static final Comparator<Instance> KILL_ORDER = Comparator.comparing(Instance::isHealthyAndRunning)
      .thenComparing(instance -> instance.state() == InstanceState.RUNNING)
      .thenComparing(Instance::launchedAt, Comparator.reverseOrder())
      .thenComparing(Instance::instanceId, Comparator.reverseOrder());

  private final PlannerConfig config;
  private final Snapshot snapshot;
  private final Map<String, PlannerOffer> offers = new LinkedHashMap<>();
  private final Set<String> usedOffers = new HashSet<>();
  private final List<AppDecision> decisions = new ArrayList<>();

  PlanRound(PlannerConfig config, Snapshot snapshot) {
    this.config = config;
    this.snapshot = snapshot;
    snapshot.offers().forEach(offer -> offers.put(offer.offerId(), offer));
  }

  Plan run() {
    Map<String, List<Instance>> byApp = snapshot.instances().stream()
        .collect(Collectors.groupingBy(Instance::appId, TreeMap::new, Collectors.toList()));
    Set<String> appIds = new TreeSet<>(snapshot.apps().keySet());
    appIds.addAll(byApp.keySet());
    for (String appId : appIds) {
      List<Instance> instances = byApp.getOrDefault(appId, List.of());
      AppDefinition app = snapshot.apps().get(appId);
      if (app == null) {
        retire(appId, instances);
      } else {
        planApp(app, instances);
      }
    }
    declineUnused();
    return new Plan(decisions);
  }

  private void retire(String appId, List<Instance> instances) {
    String reason = "app " + appId + " was removed";
    instances.stream().sorted(Comparator.comparing(Instance::instanceId)).forEach(instance -> {
      if (instance.state().isLive()) {
        kill(instance, reason);
      } else if (instance.state().isTerminal()) {
        decisions.add(new AppDecision.Expunge(instance.instanceId(), reason));
      }
    });
  }

  private void planApp(AppDefinition app, List<Instance> instances) {
    int wanted = app.instances();
    UpgradeStrategy.Bounds bounds = app.upgradeStrategy().bounds(wanted, app.isResident());
    List<Instance> live = instances.stream().filter(i -> i.state().isLive()).sorted(KILL_ORDER).toList();
    Set<String> killed = new HashSet<>();
    for (Instance staging : live) {
      if (staging.state() == InstanceState.STAGING && !stagingDeadline(staging).isAfter(snapshot.now())) {
        killed.add(kill(staging, "no agent reported on task " + staging.taskId() + " within "
            + config.stagingTimeout().toSeconds() + " s of its launch; killed in case the launch still arrives,"
            + " and replaced"));
      }
    }
    List<Instance> current = live.stream().filter(i -> !killed.contains(i.instanceId()))
        .filter(i -> !mustMove(app, i)).toList();
    List<Instance> outdated = live.stream().filter(i -> !killed.contains(i.instanceId()))
        .filter(i -> mustMove(app, i)).toList();

    for (Instance surplus : current.subList(0, Math.max(0, current.size() - wanted))) {
      killed.add(kill(surplus, "scaling " + app.id() + " down to " + wanted + " instances"));
    }
    long healthy = live.stream().filter(i -> !killed.contains(i.instanceId()))
        .filter(Instance::isHealthyAndRunning).count();
    for (Instance old : outdated) {
      if (old.isHealthyAndRunning()) {
        if (healthy - 1 < bounds.minHealthy()) {
          break;
        }
        healthy--;
      }
      killed.add(kill(old, old.version().equals(app.version())
          ? "moving " + old.instanceId() + " off agent " + old.agent().agentId() + ", which is draining"
          : "replacing version " + old.version() + " of " + app.id() + " with " + app.version()));
    }
    fill(app, instances, killed, wanted - Math.min(current.size(), wanted),
        bounds.maxRunning() - live.size() - (int) instances.stream()
            .filter(i -> i.state() == InstanceState.KILLING).count());
    live.stream().filter(i -> i.state() == InstanceState.STAGING && !killed.contains(i.instanceId()))
        .forEach(i -> decisions.add(new AppDecision.AwaitingStatus(i.instanceId(), i.taskId(), app.id(),
            stagingDeadline(i))));
  }

  private Instant stagingDeadline(Instance instance) {
    return instance.launchedAt().plus(config.stagingTimeout());
  }

  private void fill(AppDefinition app, List<Instance> instances, Set<String> killed, int missing, int room) {
    List<Instance> ended = instances.stream().filter(i -> i.state().isTerminal())
        .sorted(Comparator.comparing((Instance i) -> !i.version().equals(app.version()))
            .thenComparing(i -> i.residency().isEmpty())
            .thenComparing(Instance::instanceId))
        .toList();
    List<Instance> relaunch = ended.subList(0, Math.min(missing, ended.size()));
    List<Instance> unneeded = ended.subList(relaunch.size(), ended.size());
    for (Instance instance : unneeded) {
      decisions.add(new AppDecision.Expunge(instance.instanceId(), instance.version().equals(app.version())
          ? app.id() + " runs " + app.instances() + " instances"
          : "replaced by version " + app.version() + " of " + app.id()));
    }
    Placer placer = new Placer(app, placed(instances, killed, unneeded));
    int slots = room;
    for (Instance instance : relaunch) {
      Instant ready = instance.failedAt().map(at -> at.plus(config.backoff(instance.failures())))
          .orElse(snapshot.now());
      if (ready.isAfter(snapshot.now())) {
        decisions.add(new AppDecision.Delayed(instance.instanceId(), app.id(), ready, "ended " + instance.failures()
            + " times in a row (last " + instance.state() + "); relaunch backs off until " + ready));
      } else if (slots > 0) {
        slots--;
        placer.relaunch(instance);
      }
    }
    for (int fresh = missing - relaunch.size(); fresh > 0 && slots > 0; fresh--, slots--) {
      placer.placeNew();
    }
    placer.report();
  }

  /**
   * Whether a live instance must be replaced: it runs another version, or it sits on a draining agent
   * (a stateful instance stays with its volumes; its agent drains only once it is stopped by hand).
   * Either way it goes only as fast as the upgrade strategy's healthy minimum allows.
   */
  private boolean mustMove(AppDefinition app, Instance instance) {
    return !instance.version().equals(app.version())
        || !app.isResident() && draining(instance.agent());
  }

  private boolean draining(Agent agent) {
    return snapshot.drainingAgents().contains(agent.agentId());
  }

  /**
   * The agents of the instances that count for constraints: live ones not being killed, and ended
   * stateful ones that will come back to their agent.
   */
  private static Map<String, Agent> placed(List<Instance> instances, Set<String> killed, List<Instance> expunged) {
    Map<String, Agent> placed = new LinkedHashMap<>();
    instances.stream()
        .filter(i -> i.state().isLive() && !killed.contains(i.instanceId())
            || i.state().isTerminal() && i.residency().isPresent() && !expunged.contains(i))
        .sorted(Comparator.comparing(Instance::launchedAt).thenComparing(Instance::instanceId))
        .forEach(i -> placed.put(i.instanceId(), i.residency().map(Residency::agent).orElse(i.agent())));
    return placed;
  }

  private String kill(Instance instance, String reason) {
    decisions.add(new AppDecision.Kill(instance.instanceId(), instance.taskId(), instance.agent().agentId(), reason));
    return instance.instanceId();
  }

  private void declineUnused() {
    boolean waiting = decisions.stream()
        .anyMatch(d -> d instanceof AppDecision.Unplaced || d instanceof AppDecision.Delayed);
    offers.keySet().stream().filter(id -> !usedOffers.contains(id))
        .forEach(id -> decisions.add(new AppDecision.Decline(id,
            waiting ? config.refuseWhenWaiting() : config.refuseWhenIdle())));
  }

  private record VetoKey(String rule, String reason, Verdict.Kind kind) {
  }

  /** Places one app's instances on the offers, and gathers why the ones it cannot place stay unplaced. */
  private final class Placer {

    private final AppDefinition app;
    private final Map<String, Agent> placed;
    private final List<PlacementRule> rules;
    private final Map<VetoKey, Set<String>> vetoes = new LinkedHashMap<>();
    private int sequence;
    private int unplaced;
    private boolean anywhereFailed;
    private boolean capacityWouldHelp;

    Placer(AppDefinition app, Map<String, Agent> placed) {
      this.app = app;
      this.placed = placed;
      this.rules = PlacementRules.forApp(app);
    }

    void relaunch(Instance instance) {
      Optional<Residency> home = instance.residency();
      if (home.isPresent() && lostTooLong(instance)) {
        String agentId = home.get().agent().agentId();
        decisions.add(new AppDecision.ResidencyAbandoned(instance.instanceId(), app.id(), agentId,
            instance.failedAt().orElseThrow(), "agent " + agentId + " is lost for longer than "
            + config.residencyTimeout() + ": instance " + instance.instanceId() + " of " + app.id()
            + " is placed elsewhere with new, empty volumes"));
        home = Optional.empty();
      }
      int attempt = instance.attempt() + 1;
      if (home.isPresent()) {
        placed.remove(instance.instanceId());
        place(instance.instanceId(), attempt, PlacementRules.forResident(app, home.get().agent().agentId()),
            home.get().volumes(), false);
      } else {
        placeAnywhere(instance.instanceId(), attempt);
      }
    }

    void placeNew() {
      placeAnywhere(app.id().substring(1).replace('/', '_') + "." + snapshot.planId() + "-" + sequence++, 0);
    }

    private boolean lostTooLong(Instance instance) {
      return instance.state() == InstanceState.LOST && instance.failedAt()
          .map(at -> !snapshot.now().isBefore(at.plus(config.residencyTimeout()))).orElse(false);
    }

    /** Once one instance fits nowhere, the next one would not either: count it without looking again. */
    private void placeAnywhere(String instanceId, int attempt) {
      if (anywhereFailed) {
        unplaced++;
        return;
      }
      List<InstanceVolume> volumes = app.volumes().stream()
          .map(volume -> InstanceVolume.of(volume, instanceId, attempt)).toList();
      anywhereFailed = !place(instanceId, attempt, rules, volumes, app.isResident());
    }

    private boolean place(String instanceId, int attempt, List<PlacementRule> checks,
        List<InstanceVolume> volumes, boolean reserveAndCreate) {
      List<Agent> others = List.copyOf(placed.values());
      for (PlannerOffer offer : offers.values()) {
        if (draining(offer.agent())) {
          continue;
        }
        List<Verdict.Vetoed> found = PlacementRules.vetoes(checks, offer, others);
        if (found.isEmpty()) {
          launch(instanceId, attempt, offer, volumes, reserveAndCreate);
          return true;
        }
        note(offer, found);
      }
      unplaced++;
      if (offers.isEmpty()) {
        capacityWouldHelp = true;
      }
      return false;
    }

    private void launch(String instanceId, int attempt, PlannerOffer offer, List<InstanceVolume> volumes,
        boolean reserveAndCreate) {
      List<Integer> ports = PortChoice.choose(offer.ports(), app.ports()).orElseThrow();
      Resources resources = app.resources();
      offers.put(offer.offerId(), offer.minus(resources, ports));
      usedOffers.add(offer.offerId());
      placed.put(instanceId, offer.agent());
      decisions.add(new AppDecision.Launch(instanceId, attempt, app.id(), app.version(), offer.offerId(),
          offer.agent(), resources, ports, volumes, reserveAndCreate, !app.healthChecks().isEmpty()));
    }

    private void note(PlannerOffer offer, List<Verdict.Vetoed> found) {
      if (found.stream().allMatch(veto -> veto.kind() == Verdict.Kind.DYNAMIC)) {
        capacityWouldHelp = true;
      }
      for (Verdict.Vetoed veto : found) {
        vetoes.computeIfAbsent(new VetoKey(veto.rule(), veto.reason(), veto.kind()), key -> new TreeSet<>())
            .add(offer.agent().agentId());
      }
    }

    void report() {
      if (unplaced == 0) {
        return;
      }
      List<AppDecision.VetoSummary> reasons = vetoes.entrySet().stream()
          .map(e -> new AppDecision.VetoSummary(e.getKey().rule(), e.getKey().reason(), e.getKey().kind(),
              List.copyOf(e.getValue())))
          .toList();
      decisions.add(new AppDecision.Unplaced(app.id(), unplaced, offers.size(), reasons, capacityWouldHelp));
    }
  }
}
