package dev.kos.frameworks.apps.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns a command into new desired state, or a rejection a person can act on. Pure: the shell supplies
 * the current apps and instances and publishes the outcome. Authorization comes first, so a principal
 * learns nothing about another tenant's apps. The command id becomes the deployment id, and the version
 * of every app the command changes what runs of (deploy, update, restart). A command id found in the
 * {@link CommandLog} was answered before: the replay gets the same answer and nothing is done again.
 */
public final class CommandHandler {

  private final TenantPolicy policy;

  public CommandHandler(TenantPolicy policy) {
    this.policy = policy;
  }

  public AppCommandOutcome handle(Map<String, AppDefinition> apps, List<Instance> instances,
      CommandEnvelope envelope) {
    return handle(apps, instances, CommandLog.EMPTY, envelope);
  }

  /** As {@link #handle(Map, List, CommandEnvelope)}, but a command already in {@code handled} is a replay. */
  public AppCommandOutcome handle(Map<String, AppDefinition> apps, List<Instance> instances, CommandLog handled,
      CommandEnvelope envelope) {
    Optional<HandledCommand> before = handled.find(envelope.commandId());
    if (before.isPresent()) {
      return new AppCommandOutcome.Replayed(before.get());
    }
    AppCommand command = envelope.command();
    String deploymentId = envelope.commandId();
    if (command instanceof AppCommand.KillInstance kill) {
      return killInstance(apps, instances, envelope, kill);
    }
    Optional<String> role = command instanceof AppCommand.Deploy deploy ? Optional.of(deploy.app().role())
        : command instanceof AppCommand.Update update ? Optional.of(update.app().role()) : Optional.empty();
    Optional<String> denied = policy.denies(envelope.principal(), command.target(), role);
    if (denied.isPresent()) {
      return new AppCommandOutcome.Rejected(denied.get());
    }
    AppDefinition existing = apps.get(command.target());
    if (command instanceof AppCommand.Deploy deploy) {
      if (existing != null) {
        return new AppCommandOutcome.Rejected("app " + deploy.app().id()
            + " exists already; use update (`kos app update`) to change it");
      }
      return put(apps, deploy.app().withVersion(deploymentId), deploymentId);
    }
    if (existing == null) {
      return new AppCommandOutcome.Rejected("app " + command.target() + " does not exist; `kos app list` shows the apps");
    }
    if (command instanceof AppCommand.Update update) {
      boolean onlyScale = update.app().withInstances(existing.instances()).withVersion(existing.version())
          .equals(existing);
      return put(apps, update.app().withVersion(onlyScale ? existing.version() : deploymentId), deploymentId);
    }
    if (command instanceof AppCommand.SetScaling scaling) {
      return put(apps, existing.withScaling(scaling.policy()), deploymentId);
    }
    if (command instanceof AppCommand.Scale scale) {
      return put(apps, existing.withInstances(scale.instances()), deploymentId);
    }
    if (command instanceof AppCommand.Restart) {
      return put(apps, existing.withVersion(deploymentId), deploymentId);
    }
    Map<String, AppDefinition> next = new HashMap<>(apps);
    next.remove(existing.id());
    return new AppCommandOutcome.Accepted(next, deploymentId, List.of());
  }

  private AppCommandOutcome killInstance(Map<String, AppDefinition> apps, List<Instance> instances,
      CommandEnvelope envelope, AppCommand.KillInstance kill) {
    Optional<Instance> found = instances.stream()
        .filter(i -> i.taskId().equals(kill.taskId()) || i.instanceId().equals(kill.taskId())).findFirst();
    if (found.isEmpty()) {
      return new AppCommandOutcome.Rejected("instance " + kill.taskId()
          + " does not exist; `kos task list` shows the instances");
    }
    Instance instance = found.get();
    Optional<String> denied = policy.denies(envelope.principal(), instance.appId(), Optional.empty());
    if (denied.isPresent()) {
      return new AppCommandOutcome.Rejected(denied.get());
    }
    if (!instance.state().isLive()) {
      return new AppCommandOutcome.Rejected("instance " + instance.instanceId() + " of " + instance.appId()
          + " is not running (it is " + instance.state() + ")");
    }
    AppDefinition app = apps.get(instance.appId());
    Map<String, AppDefinition> next = new HashMap<>(apps);
    if (kill.scale() && app != null) {
      next.put(app.id(), app.withInstances(Math.max(0, app.instances() - 1)));
    }
    AppDecision.Kill decision = new AppDecision.Kill(instance.instanceId(), instance.taskId(), instance.agent().agentId(),
        "killed by " + envelope.principal() + (kill.scale() ? ", scaling down by one" : ", to be replaced"));
    return new AppCommandOutcome.Accepted(next, envelope.commandId(), List.of(decision));
  }

  private static AppCommandOutcome put(Map<String, AppDefinition> apps, AppDefinition app, String deploymentId) {
    List<Violation> violations = AppValidator.violations(app);
    if (!violations.isEmpty()) {
      return new AppCommandOutcome.Rejected("app " + app.id() + " is invalid: "
          + violations.stream().map(Violation::reason).collect(Collectors.joining("; ")));
    }
    Optional<String> clash = AppValidator.servicePortClash(apps, app);
    if (clash.isPresent()) {
      return new AppCommandOutcome.Rejected("app " + app.id() + " is invalid: " + clash.get());
    }
    Map<String, AppDefinition> next = new HashMap<>(apps);
    next.put(app.id(), app);
    return new AppCommandOutcome.Accepted(next, deploymentId, List.of());
  }
}
