package dev.kos.frameworks.apps.edge;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.frameworks.apps.core.Agent;
import dev.kos.frameworks.apps.core.AppCommand;
import dev.kos.frameworks.apps.core.AppCommandOutcome;
import dev.kos.frameworks.apps.core.AppDecision;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.ServicePort;
import dev.kos.schema.LoadBalancer;
import dev.kos.frameworks.apps.core.CommandEnvelope;
import dev.kos.frameworks.apps.core.Constraint;
import dev.kos.frameworks.apps.core.Endpoints;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.InstanceVolume;
import dev.kos.frameworks.apps.core.PlannerOffer;
import dev.kos.frameworks.apps.core.PortDefinition;
import dev.kos.frameworks.apps.core.TaskReport;
import dev.kos.frameworks.apps.core.UpgradeStrategy;
import dev.kos.frameworks.apps.core.VolumeTemplate;
import dev.kos.model.CommandSpec;
import dev.kos.model.HealthCheck;
import dev.kos.model.Operation;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.Endpoint;
import dev.kos.schema.KillInstance;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.RestartApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.SetScalingPolicy;
import dev.kos.schema.UndrainAgent;
import dev.kos.schema.UpdateApp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The one place Avro records of the bus become the core's records and back (STYLE.md, example 9). */
public final class AppsAvro {

  private AppsAvro() {
  }

  /**
   * An app spec as a definition at {@code version}; check it with {@code AppValidator}.
   *
   * @throws IllegalArgumentException for a container no agent could run (a bad image reference, say), or an
   *     artifact no agent could fetch safely (an ftp: URI, a destination out of the sandbox)
   */
  public static AppDefinition app(AppSpec spec, String version) {
    return new AppDefinition(spec.getId(), Optional.ofNullable(spec.getCmd()), spec.getArgv(), spec.getInstances(),
        spec.getCpus(), spec.getMem(), spec.getDisk(),
        spec.getPorts().stream().map(p -> new PortDefinition(p.getName(), p.getPort())).toList(),
        spec.getEnv(), spec.getHealthChecks().stream().map(AppsAvro::healthCheck).toList(),
        spec.getConstraints().stream().map(c -> new Constraint(c.getField(),
            Constraint.Operator.valueOf(c.getOperator().name()), Optional.ofNullable(c.getValue()))).toList(),
        new UpgradeStrategy(spec.getUpgradeStrategy().getMinimumHealthCapacity(),
            spec.getUpgradeStrategy().getMaximumOverCapacity()),
        spec.getVolumes().stream().map(v -> new VolumeTemplate(v.getPersistenceId(), v.getContainerPath(), v.getSizeMb()))
            .toList(),
        spec.getRole(), spec.getLabels(), version, Optional.ofNullable(spec.getScaling()).map(AppsAvro::scaling),
        Optional.ofNullable(spec.getContainer()).map(SchedulerAvro::container),
        Optional.ofNullable(spec.getLoadBalancer()).map(lb -> new ServicePort(lb.getPort(), lb.getProtocol(),
            lb.getPortName())), Optional.ofNullable(spec.getUser()),
        spec.getArtifacts().stream().map(SchedulerAvro::artifact).toList());
  }

  public static ScalingPolicy scaling(dev.kos.schema.ScalingPolicy policy) {
    return SchedulerAvro.scalingPolicy(policy);
  }

  public static dev.kos.schema.ScalingPolicy scaling(ScalingPolicy policy) {
    return SchedulerAvro.scalingPolicy(policy);
  }

  /** A definition as the spec users write (the version is not part of it). */
  public static AppSpec spec(AppDefinition app) {
    return AppSpec.newBuilder().setId(app.id()).setCmd(app.cmd().orElse(null)).setArgv(app.argv())
        .setInstances(app.instances()).setCpus(app.cpus()).setMem(app.mem()).setDisk(app.disk())
        .setPorts(app.ports().stream().map(p -> new dev.kos.schema.PortDefinition(p.name(), p.port())).toList())
        .setEnv(app.env())
        .setHealthChecks(app.healthChecks().stream().map(SchedulerAvro::healthCheck).toList())
        .setConstraints(app.constraints().stream().map(c -> new dev.kos.schema.Constraint(c.field(),
            ConstraintOperator.valueOf(c.operator().name()), c.value().orElse(null))).toList())
        .setUpgradeStrategy(new dev.kos.schema.UpgradeStrategy(app.upgradeStrategy().minimumHealthCapacity(),
            app.upgradeStrategy().maximumOverCapacity()))
        .setVolumes(app.volumes().stream().map(v -> new dev.kos.schema.Volume(v.name(), app.role(), v.sizeMb(),
            v.containerPath())).toList())
        .setRole(app.role()).setLabels(app.labels())
        .setScaling(app.scaling().map(AppsAvro::scaling).orElse(null))
        .setContainer(app.container().map(SchedulerAvro::container).orElse(null))
        .setLoadBalancer(app.loadBalancer().map(AppsAvro::loadBalancer).orElse(null))
        .setUser(app.user().orElse(null))
        .setArtifacts(app.artifacts().stream().map(SchedulerAvro::artifact).toList()).build();
  }

  /** An offer as the planner sees it: unreserved and reserved resources together. */
  public static PlannerOffer offer(dev.kos.model.OfferView offer) {
    Resources total = offer.total();
    return new PlannerOffer(offer.offerId(), new Agent(offer.agentId(), offer.hostname(), offer.attributes()),
        total.scalars(), total.ports());
  }

  /** A task's status; a reconciliation's LOST without an agent says kos has no record of the task. */
  public static TaskReport status(TaskStatusUpdate status) {
    return new TaskReport(status.taskId(), InstanceState.valueOf(status.state().name()), status.healthy(),
        status.timestamp(), status.unknownToKos());
  }

  /** An agent to drain ({@code draining}) or to take back. */
  public record Drain(String agentId, boolean draining) {
  }

  /** A drain or undrain command, or empty for any other command. */
  public static Optional<Drain> drain(Command command) {
    Object payload = command.getPayload();
    if (payload instanceof DrainAgent drain) {
      return Optional.of(new Drain(drain.getAgentId(), true));
    }
    if (payload instanceof UndrainAgent undrain) {
      return Optional.of(new Drain(undrain.getAgentId(), false));
    }
    return Optional.empty();
  }

  /** A command for the apps framework, or empty when the payload is for someone else (jobs, quotas, ...). */
  public static Optional<CommandEnvelope> command(Command command) {
    Object payload = command.getPayload();
    String version = command.getCommandId();
    AppCommand appCommand;
    if (payload instanceof DeployApp deploy) {
      appCommand = new AppCommand.Deploy(app(deploy.getApp(), version));
    } else if (payload instanceof UpdateApp update) {
      appCommand = new AppCommand.Update(app(update.getApp(), version));
    } else if (payload instanceof ScaleApp scale) {
      appCommand = new AppCommand.Scale(scale.getAppId(), scale.getInstances());
    } else if (payload instanceof RestartApp restart) {
      appCommand = new AppCommand.Restart(restart.getAppId());
    } else if (payload instanceof RemoveApp remove) {
      appCommand = new AppCommand.Remove(remove.getAppId());
    } else if (payload instanceof SetScalingPolicy set) {
      appCommand = new AppCommand.SetScaling(set.getAppId(),
          Optional.ofNullable(set.getPolicy()).map(AppsAvro::scaling));
    } else if (payload instanceof KillInstance kill) {
      appCommand = new AppCommand.KillInstance(kill.getTaskId(), kill.getScale());
    } else {
      return Optional.empty();
    }
    return Optional.of(new CommandEnvelope(command.getCommandId(), command.getPrincipal(), command.getRole(),
        command.getTimestamp(), appCommand));
  }

  public static CommandResult result(String commandId, AppCommandOutcome outcome, String handledBy, Instant at) {
    CommandResult.Builder result = CommandResult.newBuilder().setCommandId(commandId).setHandledBy(handledBy)
        .setTimestamp(at);
    if (outcome instanceof AppCommandOutcome.Accepted accepted) {
      return result.setStatus(CommandStatus.ACCEPTED).setDeploymentId(accepted.deploymentId()).build();
    }
    if (outcome instanceof AppCommandOutcome.Replayed replayed) {
      return replayed.original().accepted()
          ? result.setStatus(CommandStatus.ACCEPTED).setDeploymentId(replayed.original().detail()).build()
          : result.setStatus(CommandStatus.REJECTED).setReason(replayed.original().detail()).build();
    }
    return result.setStatus(CommandStatus.REJECTED).setReason(((AppCommandOutcome.Rejected) outcome).reason()).build();
  }

  /**
   * The accept operations for a launch, in order: on a stateful instance's first launch on an agent,
   * reserve its resources for the app's role and create its volumes; then launch its task.
   */
  public static List<Operation> operations(AppDecision.Launch launch, AppDefinition app, String frameworkId) {
    List<Operation> operations = new ArrayList<>();
    List<dev.kos.model.Volume> volumes = launch.volumes().stream().map(v -> volume(v, app.role())).toList();
    Resources resources = launch.resources().scalars();
    if (launch.reserveAndCreate()) {
      operations.add(new Operation.Reserve(app.role(), resources.withPorts(Ports.of(launch.ports()))));
      volumes.forEach(volume -> operations.add(new Operation.CreateVolume(volume)));
    }
    TaskSpec task = new TaskSpec(launch.taskId(), app.id(), frameworkId, Optional.of(app.id()),
        new CommandSpec(app.cmd(), app.argv(), app.env(), app.user(), app.artifacts()), resources, launch.ports(),
        app.ports().stream().map(PortDefinition::name).toList(), volumes,
        app.healthChecks().stream().findFirst(), app.labels());
    operations.add(new Operation.Launch(List.of(app.container().map(task::inContainer).orElse(task))));
    return operations;
  }

  private static dev.kos.model.Volume volume(InstanceVolume volume, String role) {
    return new dev.kos.model.Volume(volume.persistenceId(), role, volume.sizeMb(), volume.containerPath());
  }

  private static HealthCheck healthCheck(dev.kos.schema.HealthCheck check) {
    return new HealthCheck(HealthCheck.Protocol.valueOf(check.getProtocol().name()),
        Optional.ofNullable(check.getCommand()), Optional.ofNullable(check.getPath()), check.getPortIndex(),
        check.getGracePeriodSeconds(), check.getIntervalSeconds(), check.getTimeoutSeconds(),
        check.getMaxConsecutiveFailures());
  }

  static Resources resources(dev.kos.schema.Resources resources) {
    return Resources.of(resources.getCpus(), resources.getMem(), resources.getDisk());
  }

  static dev.kos.schema.Resources resources(Resources resources, List<Integer> ports) {
    return dev.kos.schema.Resources.newBuilder().setCpus(resources.cpus()).setMem(resources.mem())
        .setDisk(resources.disk())
        .setPorts(ports.stream().map(port -> new dev.kos.schema.PortRange(port, port)).toList()).build();
  }

  /** Where an app is reached, as it goes on {@code kos.endpoints}. */
  public static AppEndpoints endpoints(Endpoints.AppEndpoints endpoints, Instant at) {
    return AppEndpoints.newBuilder().setAppId(endpoints.appId()).setVersion(endpoints.version())
        .setPortNames(endpoints.portNames())
        .setEndpoints(endpoints.endpoints().stream().map(e -> Endpoint.newBuilder().setInstanceId(e.instanceId())
            .setTaskId(e.taskId()).setAgentId(e.agentId()).setHost(e.host()).setPorts(e.ports())
            .setVersion(e.version()).build()).toList())
        .setLoadBalancer(endpoints.loadBalancer().map(AppsAvro::loadBalancer).orElse(null))
        .setUpdatedAt(at).build();
  }

  private static LoadBalancer loadBalancer(ServicePort port) {
    return LoadBalancer.newBuilder().setPort(port.port()).setProtocol(port.protocol()).setPortName(port.portName())
        .build();
  }
}
