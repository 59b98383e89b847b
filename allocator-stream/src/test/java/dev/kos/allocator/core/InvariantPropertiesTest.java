package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Ports;
import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants that must hold after every event of any sequence: no agent over-allocated, no resource in two
 * outstanding offers, quota limits never exceeded, reserved resources never reaching another role, and the
 * core's outstanding offers exactly those its decisions announced.
 */
class InvariantPropertiesTest {

  private static final double EPSILON = 1e-6;
  private static final List<String> ROLES = List.of("r0", "r1", "r2");

  /**
   * @param offerLimit the core's most offers outstanding to one framework
   * @param offerWindow whether that limit moves with the framework's use of its offers, from 1 up (decision 0023),
   *     or is fixed (decision 0021)
   */
  record Cluster(List<AgentSpec> agents, List<RoleConfig> roles, List<FrameworkSpec> frameworks, int offerLimit,
      boolean offerWindow) {
  }

  sealed interface Step {
  }

  record Round() implements Step {
  }

  record Advance(int seconds) implements Step {
  }

  record Expire() implements Step {
  }

  record Accept(int offerPick, int tasks, double cpus, double mem, boolean withPorts, boolean byAnother)
      implements Step {
  }

  record Decline(int offerPick, int refuseSeconds) implements Step {
  }

  record EndTask(int taskPick) implements Step {
  }

  record Suppress(int frameworkPick, boolean suppress) implements Step {
  }

  record Reserve(int agentPick, int rolePick, double cpus, double mem, boolean reserve) implements Step {
  }

  record LoseAgent(int agentPick) implements Step {
  }

  record ReturnAgent(int agentPick) implements Step {
  }

  record Drain(int agentPick, boolean draining) implements Step {
  }

  record OperatorDrain(int agentPick, boolean drain) implements Step {
  }

  @Property(tries = 1000)
  void invariantsHoldAfterEveryEvent(@ForAll("clusters") Cluster cluster, @ForAll("steps") List<Step> steps) {
    Run run = new Run(cluster);
    run.checkInvariants();
    for (Step step : steps) {
      run.apply(step);
      run.checkInvariants();
    }
  }

  @Provide
  Arbitrary<Cluster> clusters() {
    Arbitrary<AgentSpec> agent = Combinators.combine(
            Arbitraries.integers().between(1, 16),
            Arbitraries.integers().between(1, 16),
            Arbitraries.integers().between(0, 20),
            Arbitraries.integers().between(0, 3))
        .as((cpus, gib, ports, reservedCpus) -> new AgentSpec("a", "a",
            Resources.of(cpus, gib * 1024.0).withPorts(ports == 0 ? Ports.NONE
                : Ports.range(31_000, 31_000 + ports)),
            reservedCpus == 0 || reservedCpus > cpus ? Map.of()
                : Map.of("r0", Resources.of(reservedCpus, 512)),
            Map.of(), false));
    Arbitrary<RoleConfig> role = Combinators.combine(
            Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 12).map(cpus -> cpus == 0 ? Optional.<Resources>empty()
                : Optional.of(Resources.of(cpus, cpus * 2048.0))),
            Arbitraries.of(false, true),
            Arbitraries.doubles().between(0.3, 1.0).injectNull(0.6))
        .as((weight, priority, limit, guaranteed, threshold) -> {
          RoleConfig config = RoleConfig.defaults("r").withWeight(weight).withPriority(priority);
          if (limit.isPresent()) {
            config = config.withLimit(limit.get());
            if (guaranteed) {
              config = config.withGuarantee(Resources.of(limit.get().cpus() / 2, 512));
            }
          }
          return threshold == null ? config : config.withMaxClusterUtilization(threshold);
        });
    return Combinators.combine(
            agent.list().ofMinSize(1).ofMaxSize(6),
            role.list().ofSize(ROLES.size()),
            Arbitraries.of(ROLES).list().ofMinSize(1).ofMaxSize(4),
            Arbitraries.of(1, 2, 3, AllocatorConfig.DEFAULT_MAX_OFFERS_PER_FRAMEWORK),
            Arbitraries.of(false, true))
        .as((agents, roles, frameworkRoles, offerLimit, offerWindow) -> {
          List<AgentSpec> named = new ArrayList<>();
          for (int i = 0; i < agents.size(); i++) {
            AgentSpec spec = agents.get(i);
            named.add(new AgentSpec("a" + i, "host" + i, spec.total(), spec.staticReservations(),
                Map.of(), false));
          }
          List<RoleConfig> configs = new ArrayList<>();
          for (int i = 0; i < ROLES.size(); i++) {
            RoleConfig config = roles.get(i);
            configs.add(new RoleConfig(ROLES.get(i), config.weight(), config.priority(),
                config.guarantee(), config.limit(), config.maxClusterUtilization()));
          }
          List<FrameworkSpec> frameworks = new ArrayList<>();
          for (int i = 0; i < frameworkRoles.size(); i++) {
            frameworks.add(FrameworkSpec.of("f" + i, frameworkRoles.get(i)));
          }
          return new Cluster(named, configs, frameworks, offerLimit, offerWindow);
        });
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 1000);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, Arbitraries.just(new Round())),
        net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 10).map(Advance::new)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new Expire())),
        net.jqwik.api.Tuple.of(6, Combinators.combine(pick, Arbitraries.integers().between(0, 4),
                Arbitraries.of(0.5, 1.0, 2.0, 4.0), Arbitraries.of(256.0, 1024.0, 4096.0),
                Arbitraries.of(false, true), Arbitraries.of(false, false, false, true))
            .as(Accept::new)),
        net.jqwik.api.Tuple.of(2, Combinators.combine(pick, Arbitraries.integers().between(0, 8))
            .as(Decline::new)),
        net.jqwik.api.Tuple.of(3, pick.map(EndTask::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(pick, Arbitraries.of(false, true)).as(Suppress::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(pick, pick, Arbitraries.of(0.5, 1.0, 2.0),
            Arbitraries.of(512.0, 1024.0), Arbitraries.of(false, true)).as(Reserve::new)),
        net.jqwik.api.Tuple.of(1, pick.map(LoseAgent::new)),
        net.jqwik.api.Tuple.of(1, pick.map(ReturnAgent::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(pick, Arbitraries.of(false, true)).as(Drain::new)),
        net.jqwik.api.Tuple.of(1, Combinators.combine(pick, Arbitraries.of(false, true)).as(OperatorDrain::new)));
    return step.list().ofMinSize(1).ofMaxSize(80);
  }

  /** One event sequence applied to a core and, from its decisions, to a ledger. */
  private static final class Run {
    private final Cluster cluster;
    private final Allocator allocator;
    private final Ledger ledger = new Ledger();
    private final Map<String, Resources> limits = new HashMap<>();
    private final Set<String> drained = new HashSet<>();
    private Instant now = AllocatorHarness.START;
    private int taskCounter;

    Run(Cluster cluster) {
      this.cluster = cluster;
      this.allocator = new Allocator(cluster.offerWindow()
          ? AllocatorConfig.defaults().withOfferWindow(1, cluster.offerLimit())
          : AllocatorConfig.defaults().withMaxOffersPerFramework(cluster.offerLimit()));
      for (RoleConfig role : cluster.roles()) {
        allocator.roleConfigured(role);
        role.limit().ifPresent(limit -> limits.put(role.role(), limit));
      }
      cluster.frameworks().forEach(allocator::frameworkUpdated);
      cluster.agents().forEach(this::report);
    }

    void apply(Step step) {
      if (step instanceof Round) {
        ledger.record(allocator.allocate(now));
      } else if (step instanceof Advance advance) {
        now = now.plusSeconds(advance.seconds());
      } else if (step instanceof Expire) {
        ledger.record(allocator.expireOffers(now));
      } else if (step instanceof Accept accept) {
        accept(accept);
      } else if (step instanceof Decline decline) {
        pickOffer(decline.offerPick()).ifPresent(offer -> {
          ledger.record(allocator.decline(offer.frameworkId(), List.of(offer.offerId()),
              Duration.ofSeconds(decline.refuseSeconds()), now));
          ledger.offers.remove(offer.offerId());
        });
      } else if (step instanceof EndTask end) {
        pick(new ArrayList<>(ledger.tasks.keySet()), end.taskPick()).ifPresent(taskId -> {
          ledger.record(allocator.taskEnded(taskId));
          ledger.tasks.remove(taskId);
        });
      } else if (step instanceof Suppress suppress) {
        String frameworkId = pick(cluster.frameworks(), suppress.frameworkPick()).orElseThrow().frameworkId();
        ledger.record(suppress.suppress() ? allocator.suppress(frameworkId) : allocator.revive(frameworkId));
      } else if (step instanceof Reserve reserve) {
        reserve(reserve);
      } else if (step instanceof LoseAgent lose) {
        loseAgent(pick(cluster.agents(), lose.agentPick()).orElseThrow().agentId());
      } else if (step instanceof ReturnAgent back) {
        AgentSpec spec = pick(cluster.agents(), back.agentPick()).orElseThrow();
        if (!ledger.agents.containsKey(spec.agentId())) {
          report(spec);
        }
      } else if (step instanceof Drain drain) {
        AgentSpec spec = pick(cluster.agents(), drain.agentPick()).orElseThrow();
        if (ledger.agents.containsKey(spec.agentId())) {
          report(ledger.agents.get(spec.agentId()).withDraining(drain.draining()));
        }
      } else if (step instanceof OperatorDrain drain) {
        operatorDrain(pick(cluster.agents(), drain.agentPick()).orElseThrow().agentId(), drain.drain());
      }
    }

    private void report(AgentSpec spec) {
      ledger.record(allocator.agentReported(spec));
      ledger.agents.put(spec.agentId(), spec);
    }

    private void accept(Accept accept) {
      Optional<Offer> picked = pickOffer(accept.offerPick());
      if (picked.isEmpty()) {
        return;
      }
      Offer offer = picked.get();
      String frameworkId = accept.byAnother() ? "f-intruder" : offer.frameworkId();
      List<TaskRequest> tasks = new ArrayList<>();
      Resources requested = Resources.NONE;
      for (int i = 0; i < accept.tasks(); i++) {
        Ports ports = Ports.NONE;
        if (accept.withPorts() && !offer.resources().ports().isEmpty()) {
          int port = offer.resources().ports().ranges().get(0).begin() + i;
          ports = Ports.range(port, port);
        }
        TaskRequest task = new TaskRequest("t" + (++taskCounter),
            Resources.of(accept.cpus(), accept.mem()).withPorts(ports));
        tasks.add(task);
        requested = requested.plus(task.resources());
      }
      Decisions decisions = allocator.accept(frameworkId, List.of(offer.offerId()), tasks);
      ledger.record(decisions);
      if (!decisions.launches().isEmpty()) {
        assertThat(offer.resources().containsAll(requested))
            .as("launched %s on offer %s", requested, offer).isTrue();
        assertThat(decisions.launches()).hasSize(tasks.size());
      }
      if (!accept.byAnother()) {
        ledger.offers.remove(offer.offerId());
      }
    }

    private void reserve(Reserve reserve) {
      String agentId = pick(cluster.agents(), reserve.agentPick()).orElseThrow().agentId();
      String role = pick(ROLES, reserve.rolePick()).orElseThrow();
      Resources resources = Resources.of(reserve.cpus(), reserve.mem());
      Decisions decisions = reserve.reserve()
          ? allocator.reserve(agentId, role, resources)
          : allocator.unreserve(agentId, role, resources);
      ledger.record(decisions);
      if (decisions.rejections().isEmpty()) {
        ledger.addDynamicReservation(agentId, role, resources, reserve.reserve());
      }
    }

    private void operatorDrain(String agentId, boolean drain) {
      Decisions decisions = drain ? allocator.drain(agentId) : allocator.undrain(agentId);
      ledger.record(decisions);
      boolean known = ledger.agents.containsKey(agentId);
      assertThat(decisions.rejections()).as("drain of %s (known: %s)", agentId, known)
          .hasSize(known || !drain && drained.contains(agentId) ? 0 : 1);
      if (drain && known) {
        drained.add(agentId);
      } else if (!drain) {
        drained.remove(agentId);
      }
    }

    private void loseAgent(String agentId) {
      ledger.record(allocator.agentRemoved(agentId, "lost"));
      assertThat(ledger.heldOn(agentId)).as("offers and tasks left on lost agent %s", agentId).isEmpty();
      ledger.agents.remove(agentId);
      ledger.dynamicReservations.remove(agentId);
    }

    private Optional<Offer> pickOffer(int pick) {
      return pick(new ArrayList<>(ledger.offers.values()), pick);
    }

    private static <T> Optional<T> pick(List<T> from, int pick) {
      return from.isEmpty() ? Optional.empty() : Optional.of(from.get(pick % from.size()));
    }

    void checkInvariants() {
      assertThat(allocator.outstandingOffers()).extracting(Offer::offerId)
          .as("the core's outstanding offers are those its decisions announced")
          .containsExactlyInAnyOrderElementsOf(ledger.offers.keySet());
      for (AgentSpec agent : ledger.agents.values()) {
        checkAgent(agent);
      }
      Map<String, Long> offersByFramework = new HashMap<>();
      ledger.offers.values().forEach(offer -> offersByFramework.merge(offer.frameworkId(), 1L, Long::sum));
      assertThat(offersByFramework).as("no framework holds more than %d offers", cluster.offerLimit())
          .allSatisfy((framework, offers) -> assertThat(offers).isLessThanOrEqualTo(cluster.offerLimit()));
      assertThat(ledger.offers.values()).as("no offer on an agent an operator drained")
          .noneMatch(offer -> drained.contains(offer.agentId()));
      for (Map.Entry<String, Resources> limit : limits.entrySet()) {
        Resources held = Resources.NONE;
        for (Offer offer : ledger.offers.values()) {
          held = offer.role().equals(limit.getKey()) ? held.plus(offer.resources()) : held;
        }
        for (Launch task : ledger.tasks.values()) {
          held = task.role().equals(limit.getKey()) ? held.plus(task.resources()) : held;
        }
        assertScalarsAtMost(held, limit.getValue(), "role " + limit.getKey() + " within its quota limit");
      }
    }

    private void checkAgent(AgentSpec agent) {
      List<Ledger.Held> held = ledger.heldOn(agent.agentId());
      Resources all = Resources.NONE;
      long portCount = 0;
      for (Ledger.Held part : held) {
        all = all.plus(part.resources());
        portCount += size(part.resources().ports());
      }
      assertScalarsAtMost(all, agent.total(), "agent " + agent.agentId() + " not over-allocated");
      assertThat(size(all.ports())).as("no port of agent %s held twice", agent.agentId()).isEqualTo(portCount);
      assertThat(agent.total().ports().containsAll(all.ports())).isTrue();
      for (String role : ROLES) {
        Resources byRole = Resources.NONE;
        Resources reservedForOthers = Resources.NONE;
        for (Ledger.Held part : held) {
          byRole = part.role().equals(role) ? byRole.plus(part.resources()) : byRole;
        }
        for (String other : ROLES) {
          if (!other.equals(role)) {
            reservedForOthers = reservedForOthers.plus(ledger.reservation(agent.agentId(), other));
          }
        }
        assertScalarsAtMost(byRole, agent.total().minus(reservedForOthers),
            "role " + role + " on agent " + agent.agentId() + " kept off others' reservations");
      }
      assertThat(ledger.offers.values().stream().filter(offer -> offer.agentId().equals(agent.agentId()))
          .map(Offer::frameworkId)).as("one offer per framework on agent %s", agent.agentId())
          .doesNotHaveDuplicates();
      for (Offer offer : ledger.offers.values()) {
        if (offer.agentId().equals(agent.agentId())) {
          assertScalarsAtMost(offer.reserved(), ledger.reservation(agent.agentId(), offer.role()),
              "offer " + offer.offerId() + " reserved part belongs to its role");
        }
      }
    }

    private static void assertScalarsAtMost(Resources actual, Resources bound, String what) {
      assertThat(actual.cpus()).as(what + " (cpus)").isLessThanOrEqualTo(bound.cpus() + EPSILON);
      assertThat(actual.mem()).as(what + " (mem)").isLessThanOrEqualTo(bound.mem() + EPSILON);
      assertThat(actual.disk()).as(what + " (disk)").isLessThanOrEqualTo(bound.disk() + EPSILON);
    }

    private static long size(Ports ports) {
      return ports.ranges().stream().mapToLong(range -> range.end() - range.begin() + 1L).sum();
    }
  }
}
