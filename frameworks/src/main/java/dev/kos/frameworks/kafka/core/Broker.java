package dev.kos.frameworks.kafka.core;

import java.time.Instant;
import java.util.Optional;

/**
 * One broker of a cluster, as the framework tracks it.
 *
 * @param controller whether the node is also a KRaft controller (one of the static voters)
 * @param attempt how many tasks were launched for it; the next task id uses attempt + 1
 * @param configVersion the cluster config version its current task started with
 * @param version the Kafka release its current task runs; empty until it is first launched
 * @param healthy the agent's health check of its client port; empty until the first check
 * @param failures how many of its tasks ended in a row, unasked, since it was last healthy: the relaunch backoff
 * @param since when it entered its phase (reservations that never show up are retried after a while)
 */
public record Broker(int nodeId, boolean controller, Optional<Placement> placement, BrokerPhase phase,
    int attempt, Optional<String> taskId, long configVersion, Optional<String> version, Optional<Boolean> healthy,
    int failures, Instant since) {

  public static Broker fresh(int nodeId, boolean controller, Instant now) {
    return new Broker(nodeId, controller, Optional.empty(), BrokerPhase.NEW, 0, Optional.empty(), 0,
        Optional.empty(), Optional.empty(), 0, now);
  }

  /** The persistence id of its log volume: unique per cluster and node, stable across relaunches. */
  public String volumeId(String cluster) {
    return "kafka-" + cluster + "-" + nodeId;
  }

  /** Client port, the controller port of a controller node, and the JMX port the framework reads bytes in/out on. */
  public int portCount() {
    return controller ? 3 : 2;
  }

  public boolean runningHealthy() {
    return phase == BrokerPhase.RUNNING && healthy.orElse(false);
  }

  /** Stopped for good; only its volume and reservation are left to release. */
  public boolean gone() {
    return phase == BrokerPhase.RETIRED || phase == BrokerPhase.UNRESERVING;
  }

  public boolean leaving() {
    return phase.compareTo(BrokerPhase.DRAINING) >= 0 && phase != BrokerPhase.STOPPING && phase != BrokerPhase.STOPPED;
  }

  Broker in(BrokerPhase next, Instant now) {
    return new Broker(nodeId, controller, placement, next, attempt, taskId, configVersion, version,
        next == BrokerPhase.RUNNING || next == BrokerPhase.DRAINING ? healthy : Optional.empty(), failures, now);
  }

  Broker placedOn(Placement where, Instant now) {
    return new Broker(nodeId, controller, Optional.of(where), BrokerPhase.RESERVED, attempt, taskId, configVersion,
        version, Optional.empty(), failures, now);
  }

  Broker unplaced(Instant now) {
    return new Broker(nodeId, controller, Optional.empty(), BrokerPhase.NEW, attempt, Optional.empty(),
        configVersion, version, Optional.empty(), failures, now);
  }

  Broker launched(String task, long config, String release, Instant now) {
    return new Broker(nodeId, controller, placement, BrokerPhase.LAUNCHING, attempt + 1, Optional.of(task), config,
        Optional.of(release), Optional.empty(), failures, now);
  }

  Broker withHealth(boolean isHealthy) {
    return new Broker(nodeId, controller, placement, phase, attempt, taskId, configVersion, version,
        Optional.of(isHealthy), isHealthy ? 0 : failures, since);
  }

  /** Its task ended without being asked to: it waits to be relaunched, a little longer after each failure. */
  Broker failed(Instant now) {
    return new Broker(nodeId, controller, placement, BrokerPhase.STOPPED, attempt, taskId, configVersion, version,
        Optional.empty(), failures + 1, now);
  }
}
