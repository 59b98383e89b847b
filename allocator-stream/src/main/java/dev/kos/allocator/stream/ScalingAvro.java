package dev.kos.allocator.stream;

import dev.kos.allocator.scaling.Decision;
import dev.kos.allocator.scaling.Sample;
import dev.kos.allocator.scaling.ScalableApp;
import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.InstanceSnapshot;
import dev.kos.schema.KafkaBrokerState;
import dev.kos.schema.KafkaClusterState;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleTarget;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Maps bus records to the autoscaler core's values and back, once, at its edge. */
final class ScalingAvro {

  /** Instance states that hold a place on an agent; the rest of the wanted count waits. */
  private static final Set<String> PLACED = Set.of("STAGING", "STARTING", "RUNNING", "KILLING");

  private ScalingAvro() {
  }

  /**
   * A kafka cluster as the autoscaler sees it: an instance is a broker that is not being removed; empty when the
   * cluster has no policy.
   *
   * @throws IllegalArgumentException for a policy that cannot be applied, naming the field
   */
  static Optional<ScalableApp> cluster(KafkaClusterState state) {
    if (state.getScalingPolicy() == null) {
      return Optional.empty();
    }
    int members = (int) state.getBrokers().stream().filter(broker -> !broker.getLeaving()).count();
    return Optional.of(ScalableApp.of(state.getName(), members, policy(state.getScalingPolicy())));
  }

  /**
   * The broker a scale-in removes: the newest broker-only node that is not leaving yet (controllers are static KRaft
   * voters and stay); empty when there is none.
   */
  static OptionalInt removableBroker(KafkaClusterState state) {
    return state.getBrokers().stream().filter(broker -> !broker.getController() && !broker.getLeaving())
        .mapToInt(KafkaBrokerState::getNodeId).max();
  }

  /** @throws IllegalArgumentException for a policy that cannot be applied, naming the field */
  static ScalableApp app(AppState state) {
    AppSpec spec = state.getSpec();
    int unplaced = 0;
    if (state.getUnplaced() != null) {
      long placed = state.getInstances().stream().map(InstanceSnapshot::getState).filter(PLACED::contains).count();
      unplaced = (int) Math.max(0, spec.getInstances() - placed);
    }
    return new ScalableApp(state.getAppId(), spec.getRole(), spec.getInstances(),
        spec.getScaling() == null ? null : policy(spec.getScaling()), unplaced,
        Resources.of(spec.getCpus(), spec.getMem(), spec.getDisk()));
  }

  static ScalingPolicy policy(dev.kos.schema.ScalingPolicy p) {
    return SchedulerAvro.scalingPolicy(p).requireValid();
  }

  /** A task's or a service's sample of an app; empty for other kinds (agents' samples are read apart). */
  static Optional<Sample> sample(MetricSample sample) {
    if (sample.getAppId() == null) {
      return Optional.empty();
    }
    Sample.Kind kind = switch (sample.getKind()) {
      case "task" -> Sample.Kind.TASK;
      case "service" -> Sample.Kind.SERVICE;
      default -> null;
    };
    return kind == null
        ? Optional.empty()
        : Optional.of(new Sample(sample.getSourceId(), kind, sample.getAppId(), sample.getValues(),
            sample.getTimestamp()));
  }

  static ScaleDecision avro(Decision decision) {
    return ScaleDecision.newBuilder().setTarget(decision.target())
        .setKind(decision.kind() == Decision.Kind.SERVICE ? ScaleTarget.SERVICE : ScaleTarget.CLUSTER)
        .setFrom(decision.from()).setTo(decision.to()).setReason(decision.reason()).setPolicy(decision.policy())
        .setMode(dev.kos.schema.ScaleMode.valueOf(decision.mode().name())).setMetrics(decision.metrics())
        .setTimestamp(decision.at()).build();
  }
}
