package dev.kos.frameworks.kafka.core;

import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A task status applied to the clusters: the broker it belongs to changes phase or health. */
public final class StatusStep {

  private StatusStep() {
  }

  /**
   * Statuses of tasks no broker runs any more (an earlier attempt) change nothing. A broker that failed too often
   * ({@code healing}) is reported as given up instead of as failed.
   */
  public static Plan apply(Map<String, KafkaCluster> clusters, TaskStatusUpdate update, Instant now,
      SelfHealing healing) {
    Map<String, KafkaCluster> next = new TreeMap<>(clusters);
    List<Action> notices = new ArrayList<>();
    for (KafkaCluster cluster : clusters.values()) {
      Optional<Broker> owner = cluster.brokers().stream()
          .filter(b -> b.taskId().filter(update.taskId()::equals).isPresent()).findFirst();
      if (owner.isPresent()) {
        Broker broker = owner.get();
        Broker changed = changed(broker, update, now);
        KafkaCluster after = cluster.withBroker(broker.nodeId(), b -> changed);
        next.put(cluster.name(), after);
        (healing.gaveUp(changed, after) && broker.phase() != BrokerPhase.STOPPED
            ? Optional.of(gaveUp(after, broker, changed, update, healing)) : notice(cluster.name(), broker, changed,
                update)).ifPresent(notices::add);
      }
    }
    return new Plan(next, notices, false);
  }

  private static Broker changed(Broker broker, TaskStatusUpdate update, Instant now) {
    if (update.state().terminal()) {
      return switch (broker.phase()) {
        case REMOVING, DELETING -> broker.in(BrokerPhase.RETIRED, now);
        // A stopped broker's task ended already: its status said again (reconciliation, redelivery) is no new failure.
        case RETIRED, UNRESERVING, STOPPED -> broker;
        case STOPPING -> broker.in(BrokerPhase.STOPPED, now);
        default -> broker.failed(now);
      };
    }
    Broker running = update.state() == TaskState.RUNNING && broker.phase() == BrokerPhase.LAUNCHING
        ? broker.in(BrokerPhase.RUNNING, now) : broker;
    return update.healthy().map(running::withHealth).orElse(running);
  }

  private static Action gaveUp(KafkaCluster cluster, Broker before, Broker after, TaskStatusUpdate update,
      SelfHealing healing) {
    int id = after.nodeId();
    String agent = after.placement().map(Placement::agentId).orElse("?");
    return new Action.Notice(cluster.name(), SelfHealing.GAVE_UP, id, "broker " + id + " task " + update.taskId()
        + " ended " + update.state() + update.message().filter(m -> !m.isBlank()).map(m -> ": " + m).orElse("")
        + "; it failed " + after.failures() + " times in a row (at most " + healing.maxFailures() + "), so it is no "
        + "longer relaunched and stays STOPPED: its broker.log in volume " + after.volumeId(cluster.name())
        + " on agent " + agent + " says why; `kos kafka config " + cluster.name() + " KEY=VALUE` (or `kos kafka "
        + "upgrade`) gives it another try");
  }

  private static Optional<Action> notice(String cluster, Broker before, Broker after, TaskStatusUpdate update) {
    int id = after.nodeId();
    String why = update.message().filter(m -> !m.isBlank()).map(m -> ": " + m).orElse("");
    if (after.phase() == BrokerPhase.RETIRED && before.phase() != BrokerPhase.RETIRED) {
      return Optional.of(new Action.Notice(cluster, "BROKER_REMOVED", id, "broker " + id + " stopped for good"));
    }
    if (after.phase() == BrokerPhase.STOPPED && before.phase() != BrokerPhase.STOPPED) {
      return Optional.of(before.phase() == BrokerPhase.STOPPING
          ? new Action.Notice(cluster, "BROKER_STOPPED", id, "broker " + id + " stopped for its rolling restart")
          : new Action.Notice(cluster, "BROKER_FAILED", id, "broker " + id + " task " + update.taskId() + " ended "
              + update.state() + why + "; relaunching it on the same agent with its volume"
              + (after.failures() > 1 ? " in " + Planner.relaunchDelay(after.failures()).toSeconds() + " s (failure "
                  + after.failures() + " in a row)" : "")));
    }
    if (after.phase() == BrokerPhase.RUNNING && before.phase() == BrokerPhase.LAUNCHING) {
      return Optional.of(new Action.Notice(cluster, "BROKER_RUNNING", id, "broker " + id + " is running"));
    }
    if (after.healthy().orElse(false) && !before.healthy().orElse(false)) {
      return Optional.of(new Action.Notice(cluster, "BROKER_HEALTHY", id, "broker " + id + " answers on "
          + after.placement().map(Placement::clientEndpoint).orElse("?")));
    }
    if (!after.healthy().orElse(true) && before.healthy().orElse(true)) {
      return Optional.of(new Action.Notice(cluster, "BROKER_UNHEALTHY", id, "broker " + id + " fails its health check"
          + why));
    }
    return Optional.empty();
  }
}
