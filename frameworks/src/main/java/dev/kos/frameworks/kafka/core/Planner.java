package dev.kos.frameworks.kafka.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One planning step over every cluster: which offer each broker's next placement step uses, which broker a
 * rolling restart stops next, and when a drained broker is stopped for good. Pure: the shell supplies the
 * clusters, the latest {@link Observation} of each, the offers and the time, and carries out the actions.
 *
 * <p>Each offer serves at most one step; offers nothing used are declined briefly while a broker still waits
 * for one, so that they come back soon, and for long when nothing waits.
 */
public final class Planner {

  /** A reservation that has not appeared in an offer of its agent after this long is given up. */
  public static final Duration RESERVATION_PATIENCE = Duration.ofSeconds(30);
  /** The longest a failed broker waits to be relaunched: a broker that cannot start is retried this often. */
  public static final Duration MAX_RELAUNCH_DELAY = Duration.ofMinutes(2);
  static final Duration REFUSE_WHILE_WAITING = Duration.ofSeconds(1);
  static final Duration REFUSE_IDLE = Duration.ofMinutes(2);

  private final SelfHealing healing;

  public Planner(SelfHealing healing) {
    this.healing = healing;
  }

  public Plan plan(Map<String, KafkaCluster> clusters, Map<String, Observation> observations,
      List<BrokerOffer> offers, Instant now) {
    Step step = new Step(healing, offers, now);
    Map<String, KafkaCluster> next = new TreeMap<>();
    new TreeMap<>(clusters).forEach((name, cluster) -> {
      KafkaCluster placed = step.place(cluster);
      if (placed.brokers().isEmpty()) {
        // Only a delete empties a cluster (a create has brokers; controllers are never removed).
        step.actions.add(new Action.Notice(name, "CLUSTER_DELETED", 0, "cluster " + name + " is deleted: every "
            + "broker stopped, its volume destroyed and its reservation released" + (placed.abandoned().isEmpty() ? ""
                : "; the old homes on agents " + placed.abandoned().stream().map(h -> h.placement().agentId())
                    .sorted().distinct().toList() + " that never came back are left to clean up by hand")));
        return;
      }
      next.put(name, step.restartOrStop(placed, observations.getOrDefault(name, Observation.UNKNOWN)));
    });
    for (BrokerOffer offer : offers) {
      if (!step.used.contains(offer.offerId())) {
        step.actions.add(new Action.Decline(offer.offerId(), step.waiting ? REFUSE_WHILE_WAITING : REFUSE_IDLE));
      }
    }
    return new Plan(next, step.actions, step.waiting);
  }

  /**
   * How long a broker whose tasks ended {@code failures} times in a row waits before its next launch: at once after
   * one failure (a crash, a kill -9), then 2, 4, 8, ... s up to {@link #MAX_RELAUNCH_DELAY}, as Marathon backs off,
   * so that a broker that cannot start does not relaunch in a tight loop.
   */
  public static Duration relaunchDelay(int failures) {
    if (failures <= 1) {
      return Duration.ZERO;
    }
    long seconds = 1L << Math.min(failures - 1, 20);
    return seconds >= MAX_RELAUNCH_DELAY.toSeconds() ? MAX_RELAUNCH_DELAY : Duration.ofSeconds(seconds);
  }

  public static String taskId(String cluster, Broker broker) {
    return "kafka." + cluster + ".broker-" + broker.nodeId() + "." + (broker.attempt() + 1);
  }

  /**
   * Every broker healthy (or gone), registered with the cluster, every partition in sync, and no partitions about
   * to move or moving: only then may a broker stop. The cluster must have said so in a read that began after the
   * brokers' last change: a read that began before the last restarted broker came back (a slow one, waiting on
   * a broker that was stopping) would show the ISRs from before that broker stopped.
   */
  static boolean allWell(KafkaCluster cluster, Observation seen) {
    return cluster.brokers().stream().noneMatch(b -> b.since().isAfter(seen.readFrom()))
        && cluster.brokers().stream().allMatch(b -> b.runningHealthy()
        || b.phase() == BrokerPhase.DRAINING && b.healthy().orElse(false) || b.gone())
        && running(cluster).stream().allMatch(b -> seen.registered().contains(b.nodeId()))
        && seen.settled() && !seen.reassigning() && cluster.rebalance() == KafkaCluster.Rebalance.NONE;
  }

  private static List<Broker> running(KafkaCluster cluster) {
    return cluster.brokers().stream()
        .filter(b -> b.phase() == BrokerPhase.RUNNING || b.phase() == BrokerPhase.DRAINING).toList();
  }

  /** The mutable scratch of one plan: offers used so far, actions, whether some broker still waits. */
  private static final class Step {
    private final SelfHealing healing;
    private final List<BrokerOffer> offers;
    private final Instant now;
    private final Set<String> used = new HashSet<>();
    private final List<Action> actions = new ArrayList<>();
    private boolean waiting;

    Step(SelfHealing healing, List<BrokerOffer> offers, Instant now) {
      this.healing = healing;
      this.offers = offers;
      this.now = now;
    }

    KafkaCluster place(KafkaCluster cluster) {
      KafkaCluster current = cluster;
      for (Broker broker : cluster.brokers()) {
        current = placeOne(current, broker);
      }
      for (Abandoned home : cluster.abandoned()) {
        current = cleanUp(current, home);
      }
      return current;
    }

    /** An abandoned home whose agent came back: its volume first, then (on a later offer) its reservation. */
    private KafkaCluster cleanUp(KafkaCluster cluster, Abandoned home) {
      Placement where = home.placement();
      Optional<BrokerOffer> offer = unused(o -> o.agentId().equals(where.agentId())
          && o.reservedHolds(cluster.perBroker(), where.ports()));
      if (offer.isEmpty()) {
        return cluster;
      }
      BrokerOffer o = take(offer.get());
      List<Abandoned> rest = new ArrayList<>(cluster.abandoned());
      rest.remove(home);
      if (!home.volumeDestroyed()) {
        actions.add(new Action.DestroyVolume(o.offerId(), o.agentId(), cluster.name(), home.nodeId(),
            "kafka-" + cluster.name() + "-" + home.nodeId()));
        rest.add(new Abandoned(home.nodeId(), where, true));
        return cluster.withAbandoned(rest);
      }
      actions.add(new Action.Unreserve(o.offerId(), o.agentId(), cluster.name(), home.nodeId(), cluster.perBroker(),
          where.ports()));
      actions.add(new Action.Notice(cluster.name(), "BROKER_RELEASED", home.nodeId(), "agent " + where.agentId()
          + " is back: broker " + home.nodeId() + "'s old volume and reservation there are released"));
      return cluster.withAbandoned(rest);
    }

    private KafkaCluster placeOne(KafkaCluster cluster, Broker broker) {
      String name = cluster.name();
      switch (broker.phase()) {
        case NEW -> {
          waiting = true;
          List<BrokerOffer> fitting = offers.stream().filter(o -> !used.contains(o.offerId()))
              .filter(o -> hostsNoOtherBroker(cluster, o.agentId())
                  && cluster.abandoned().stream().noneMatch(home -> home.placement().agentId().equals(o.agentId()))
                  && o.unreserved().containsAll(cluster.perBroker()) && o.freePorts(broker.portCount()).size()
                  == broker.portCount()).toList();
          Optional<BrokerOffer> offer = ZoneSpread.of(cluster, offers).best(fitting);
          if (offer.isPresent()) {
            BrokerOffer o = take(offer.get());
            List<Integer> ports = o.freePorts(broker.portCount());
            actions.add(new Action.Reserve(o.offerId(), o.agentId(), name, broker.nodeId(), cluster.perBroker(),
                ports));
            return cluster.withBroker(broker.nodeId(), b -> b.placedOn(new Placement(o.agentId(), o.hostname(),
                ports, o.rack()), now));
          }
          Unplaced.why(cluster, broker, offers.stream().filter(o -> !used.contains(o.offerId())).toList())
              .ifPresent(why -> actions.add(new Action.Notice(name, Unplaced.KIND, broker.nodeId(), why)));
          return cluster;
        }
        case RESERVED -> {
          waiting = true;
          Placement where = broker.placement().orElseThrow();
          Optional<BrokerOffer> offer = unused(o -> o.agentId().equals(where.agentId()));
          if (offer.isPresent() && offer.get().reservedHolds(cluster.perBroker(), where.ports())) {
            BrokerOffer o = take(offer.get());
            actions.add(new Action.CreateVolume(o.offerId(), o.agentId(), name, broker.nodeId(),
                broker.volumeId(name), cluster.perBroker().disk()));
            return cluster.withBroker(broker.nodeId(), b -> b.in(BrokerPhase.VOLUME_READY, now));
          }
          if (offer.isPresent() && !now.isBefore(broker.since().plus(RESERVATION_PATIENCE))) {
            actions.add(new Action.Notice(name, Unplaced.KIND, broker.nodeId(), "the reservation for broker "
                + broker.nodeId() + " on agent " + where.agentId() + " never appeared; placing it anew"));
            return cluster.withBroker(broker.nodeId(), b -> b.unplaced(now));
          }
        }
        case VOLUME_READY, STOPPED -> {
          if (healing.gaveUp(broker, cluster)) {
            return cluster; // reported once, when it failed the last time (StatusStep); it waits for no offer
          }
          waiting = true;
          boolean backingOff = now.isBefore(broker.since().plus(relaunchDelay(broker.failures())));
          if (!backingOff && cluster.controllers().stream().allMatch(c -> c.phase().placed())) {
            Placement where = broker.placement().orElseThrow();
            Optional<BrokerOffer> offer = unused(o -> o.agentId().equals(where.agentId())
                && o.reservedHolds(cluster.perBroker(), where.ports()));
            if (offer.isPresent()) {
              return launch(cluster, broker, take(offer.get()));
            }
            if (broker.phase() == BrokerPhase.STOPPED && !broker.controller()
                && !now.isBefore(broker.since().plus(healing.agentPatience()))) {
              return placeAnew(cluster, broker, where);
            }
          }
        }
        case DELETING -> {
          waiting = true;
          actions.add(new Action.Kill(broker.placement().orElseThrow().agentId(), broker.taskId().orElseThrow(), name,
              broker.nodeId(), "cluster " + name + " is being deleted"));
          actions.add(new Action.Notice(name, "BROKER_REMOVING", broker.nodeId(), "broker " + broker.nodeId()
              + ": cluster " + name + " is being deleted; stopping it for good"));
          return cluster.withBroker(broker.nodeId(), b -> b.in(BrokerPhase.REMOVING, now));
        }
        case RETIRED, UNRESERVING -> {
          waiting = true;
          Placement where = broker.placement().orElseThrow();
          Optional<BrokerOffer> offer = unused(o -> o.agentId().equals(where.agentId())
              && o.reservedHolds(cluster.perBroker(), where.ports()));
          if (offer.isPresent()) {
            return release(cluster, broker, take(offer.get()));
          }
        }
        default -> {
        }
      }
      return cluster;
    }

    /**
     * Gives up on a broker's agent: the broker starts over elsewhere, and its old home is cleaned up should the
     * agent return. Controllers never do: a static KRaft voter cannot move to an empty metadata log.
     */
    private KafkaCluster placeAnew(KafkaCluster cluster, Broker broker, Placement where) {
      actions.add(new Action.Notice(cluster.name(), "BROKER_REPLACED", broker.nodeId(), "agent " + where.agentId()
          + " has not offered broker " + broker.nodeId() + "'s reservation for " + healing.patienceInWords()
          + "; placing the broker anew on another agent, with an empty volume its partitions re-replicate to"));
      List<Abandoned> abandoned = new ArrayList<>(cluster.abandoned());
      abandoned.add(new Abandoned(broker.nodeId(), where, false));
      return cluster.withAbandoned(abandoned).withBroker(broker.nodeId(), b -> b.unplaced(now));
    }

    /** Two offers, because an unreserve rescinds the agent's offers and with them the accept's other operations. */
    private KafkaCluster release(KafkaCluster cluster, Broker broker, BrokerOffer offer) {
      String name = cluster.name();
      Placement where = broker.placement().orElseThrow();
      if (broker.phase() == BrokerPhase.RETIRED) {
        actions.add(new Action.DestroyVolume(offer.offerId(), offer.agentId(), name, broker.nodeId(),
            broker.volumeId(name)));
        return cluster.withBroker(broker.nodeId(), b -> b.in(BrokerPhase.UNRESERVING, now));
      }
      actions.add(new Action.Unreserve(offer.offerId(), offer.agentId(), name, broker.nodeId(), cluster.perBroker(),
          where.ports()));
      actions.add(new Action.Notice(name, "BROKER_RELEASED", broker.nodeId(), "broker " + broker.nodeId()
          + " is gone; its volume and reservation on agent " + where.agentId() + " are released"));
      return cluster.withBrokers(cluster.brokers().stream().filter(b -> b.nodeId() != broker.nodeId()).toList());
    }

    private KafkaCluster launch(KafkaCluster cluster, Broker broker, BrokerOffer offer) {
      String taskId = taskId(cluster.name(), broker);
      Placement where = broker.placement().orElseThrow();
      actions.add(new Action.Launch(offer.offerId(), offer.agentId(), where.hostname(), cluster.name(),
          broker.nodeId(), taskId,
          cluster.perBroker(), where.ports(), broker.volumeId(cluster.name()), cluster.version(),
          ServerConfig.properties(cluster, broker)));
      actions.add(new Action.Notice(cluster.name(), "BROKER_LAUNCHED", broker.nodeId(), "broker " + broker.nodeId()
          + (broker.attempt() == 0 ? " launched" : " relaunched with its volume") + " on agent " + where.agentId()
          + " as " + taskId + " (Kafka " + cluster.version() + ", config version " + cluster.configVersion() + ")"));
      return cluster.withBroker(broker.nodeId(), b -> b.launched(taskId, cluster.configVersion(), cluster.version(),
          now));
    }

    /**
     * At most one broker of a cluster stops at a time, and only while the whole cluster is well and no partitions
     * are about to move or moving.
     */
    KafkaCluster restartOrStop(KafkaCluster cluster, Observation seen) {
      if (!allWell(cluster, seen)) {
        return cluster;
      }
      List<Broker> running = running(cluster);
      Optional<Broker> drained = running.stream().filter(b -> b.phase() == BrokerPhase.DRAINING
          && seen.replicasOn(b.nodeId()) == 0).findFirst();
      if (drained.isPresent()) {
        return stop(cluster, drained.get(), BrokerPhase.REMOVING, "BROKER_REMOVING",
            "its partitions moved away; stopping it for good");
      }
      Optional<Broker> outdated = running.stream().filter(b -> b.phase() == BrokerPhase.RUNNING
          && b.configVersion() < cluster.configVersion()).findFirst();
      if (outdated.isPresent()) {
        long left = running.stream().filter(b -> b.configVersion() < cluster.configVersion()).count();
        String onto = outdated.get().version().filter(cluster.version()::equals).isPresent()
            ? "config version " + cluster.configVersion() : "Kafka " + cluster.version();
        return stop(cluster, outdated.get(), BrokerPhase.STOPPING, "ROLLING_RESTART_STEP",
            "restarting for " + onto + " (" + left + " of " + running.size() + " brokers still to restart)");
      }
      return cluster;
    }

    private KafkaCluster stop(KafkaCluster cluster, Broker broker, BrokerPhase next, String kind, String why) {
      Placement where = broker.placement().orElseThrow();
      actions.add(new Action.Kill(where.agentId(), broker.taskId().orElseThrow(), cluster.name(), broker.nodeId(),
          why));
      actions.add(new Action.Notice(cluster.name(), kind, broker.nodeId(), "broker " + broker.nodeId() + ": " + why));
      return cluster.withBroker(broker.nodeId(), b -> b.in(next, now));
    }

    private boolean hostsNoOtherBroker(KafkaCluster cluster, String agentId) {
      return cluster.brokers().stream().flatMap(b -> b.placement().stream())
          .noneMatch(where -> where.agentId().equals(agentId));
    }

    private Optional<BrokerOffer> unused(Predicate<BrokerOffer> fits) {
      return offers.stream().filter(o -> !used.contains(o.offerId())).filter(fits).findFirst();
    }

    private BrokerOffer take(BrokerOffer offer) {
      used.add(offer.offerId());
      return offer;
    }
  }
}
