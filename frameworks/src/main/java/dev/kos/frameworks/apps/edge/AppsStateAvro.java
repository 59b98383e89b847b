package dev.kos.frameworks.apps.edge;

import dev.kos.frameworks.apps.core.Agent;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.HandledCommand;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.InstanceVolume;
import dev.kos.frameworks.apps.core.Residency;
import dev.kos.frameworks.apps.core.StatusChanges;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.HandledCommandSnapshot;
import dev.kos.schema.InstanceSnapshot;
import dev.kos.schema.PersistentVolumeSnapshot;
import dev.kos.schema.ResidencySnapshot;
import dev.kos.schema.StatusEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The apps framework's durable state ({@code AppState} on the compacted {@code kos.apps}) and its
 * status events ({@code StatusEvent} on {@code kos.status}), to and from the core's records.
 */
public final class AppsStateAvro {

  private AppsStateAvro() {
  }

  /** One app as a restarted framework finds it. {@code app} is empty for a removed app whose instances remain. */
  public record Restored(Optional<AppDefinition> app, List<Instance> instances, Optional<String> deploymentId,
      long planCounter, List<HandledCommand> handled) {
  }

  /**
   * The state of one app: {@code app} when it exists, else {@code removedSpec} (the spec it had) for a
   * removed app whose instances are still being retired.
   */
  public static AppState state(String appId, Optional<AppDefinition> app, AppSpec removedSpec, String removedVersion,
      List<Instance> instances, Optional<String> deploymentId, Optional<String> unplaced, long planCounter,
      List<HandledCommand> handled, Instant now) {
    return AppState.newBuilder().setAppId(appId)
        .setSpec(app.map(AppsAvro::spec).orElse(removedSpec))
        .setVersion(app.map(AppDefinition::version).orElse(removedVersion))
        .setRemoved(app.isEmpty())
        .setDeploymentId(deploymentId.orElse(null))
        .setInstances(instances.stream().map(AppsStateAvro::snapshot).toList())
        .setUnplaced(unplaced.orElse(null))
        .setPlanCounter(planCounter)
        .setHandledCommands(handled.stream().map(h -> new HandledCommandSnapshot(h.commandId(), h.accepted(),
            h.detail())).toList())
        .setUpdatedAt(now)
        .build();
  }

  public static Restored restore(AppState state) {
    Optional<AppDefinition> app = state.getRemoved() ? Optional.empty()
        : Optional.of(AppsAvro.app(state.getSpec(), state.getVersion()));
    return new Restored(app, state.getInstances().stream().map(i -> instance(state.getAppId(), i)).toList(),
        Optional.ofNullable(state.getDeploymentId()), state.getPlanCounter(),
        state.getHandledCommands().stream().map(h -> new HandledCommand(h.getCommandId(), state.getAppId(),
            h.getAccepted(), h.getDetail())).toList());
  }

  public static StatusEvent event(StatusChanges.Event event, String framework, Instant now) {
    return StatusEvent.newBuilder().setTarget(event.appId()).setFramework(framework).setKind(event.kind())
        .setDeploymentId(event.deploymentId().orElse(null)).setInstanceId(event.instanceId().orElse(null))
        .setTaskId(event.taskId().orElse(null)).setAgentId(event.agentId().orElse(null))
        .setCounts(event.counts()).setMessage(event.message()).setTimestamp(now).build();
  }

  private static InstanceSnapshot snapshot(Instance instance) {
    return InstanceSnapshot.newBuilder().setInstanceId(instance.instanceId()).setVersion(instance.version())
        .setAgentId(instance.agent().agentId()).setHostname(instance.agent().hostname())
        .setAgentAttributes(instance.agent().attributes()).setAttempt(instance.attempt())
        .setState(instance.state().name()).setHealthChecked(instance.healthChecked()).setHealthy(instance.healthy())
        .setLaunchedAt(instance.launchedAt()).setFailures(instance.failures())
        .setFailedAt(instance.failedAt().orElse(null))
        .setResidency(instance.residency().map(AppsStateAvro::residency).orElse(null))
        .setPorts(instance.ports())
        .build();
  }

  private static ResidencySnapshot residency(Residency residency) {
    return ResidencySnapshot.newBuilder().setAgentId(residency.agent().agentId())
        .setHostname(residency.agent().hostname()).setAgentAttributes(residency.agent().attributes())
        .setReserved(AppsAvro.resources(residency.reserved(), List.of()))
        .setVolumes(residency.volumes().stream().map(v -> new PersistentVolumeSnapshot(v.persistenceId(),
            v.containerPath(), v.sizeMb())).toList())
        .build();
  }

  private static Instance instance(String appId, InstanceSnapshot snapshot) {
    return new Instance(snapshot.getInstanceId(), appId, snapshot.getVersion(),
        new Agent(snapshot.getAgentId(), snapshot.getHostname(), snapshot.getAgentAttributes()),
        snapshot.getAttempt(), InstanceState.valueOf(snapshot.getState()), snapshot.getHealthChecked(),
        snapshot.getHealthy(), snapshot.getLaunchedAt(), snapshot.getFailures(),
        Optional.ofNullable(snapshot.getFailedAt()), Optional.ofNullable(snapshot.getResidency()).map(r ->
            new Residency(new Agent(r.getAgentId(), r.getHostname(), r.getAgentAttributes()),
                AppsAvro.resources(r.getReserved()), r.getVolumes().stream()
                .map(v -> new InstanceVolume(v.getPersistenceId(), v.getContainerPath(), v.getSizeMb())).toList())),
        snapshot.getPorts());
  }
}
