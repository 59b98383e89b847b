package dev.kos.frameworks.apps;

import dev.kos.bus.client.Answerer;
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.framework.FrameworkRuntime;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.apps.core.AppCommand;
import dev.kos.frameworks.apps.core.AppCommandOutcome;
import dev.kos.frameworks.apps.core.AppDecision;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.CommandEnvelope;
import dev.kos.frameworks.apps.core.CommandHandler;
import dev.kos.frameworks.apps.core.CommandLog;
import dev.kos.frameworks.apps.core.Endpoints;
import dev.kos.frameworks.apps.core.HandledCommand;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.Instances;
import dev.kos.frameworks.apps.core.KillGrace;
import dev.kos.frameworks.apps.core.Plan;
import dev.kos.frameworks.apps.core.Planner;
import dev.kos.frameworks.apps.core.PlannerConfig;
import dev.kos.frameworks.apps.core.PlannerOffer;
import dev.kos.frameworks.apps.core.Snapshot;
import dev.kos.frameworks.apps.core.StatusChanges;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.frameworks.apps.edge.AppsAvro;
import dev.kos.frameworks.apps.edge.AppsStateAvro;
import dev.kos.model.Operation;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps framework: its pure core on a {@link FrameworkRuntime}, which registers it as {@value #FRAMEWORK_ID},
 * takes {@code kos.commands} (group {@value #GROUP}), answers on {@code kos.command-results}, batches offers and
 * writes its state in transactions. What is left here is the apps' own: what the state is, how a command, a
 * status and a batch of offers change it, and what users are told on {@code kos.status}.
 *
 * <p>State is the replay of records: every change of an app (definition, instances, deployment, unplaced
 * reason) is written as an {@code AppState} to the compacted {@code kos.apps}, batched every
 * a moment (and at once before the framework acts, see below). A restarted framework reads
 * that topic to its end, then reconciles the tasks it believes alive with {@code kos.tasks} (a task kos never
 * heard of comes back LOST and is relaunched, unless it is still STAGING: its launch may be in flight).
 * What users watch goes to {@code kos.status}: instance transitions and deployment progress, each event
 * with the app's tallies. Offers come in batches and are planned together, so one plan sees the agents side by
 * side (and an unplaced message names all of them).
 *
 * <p>The framework has one role, and every app runs in it: a deploy or update of an app in another role is
 * rejected (after the tenant policy had its say). Every plan answers all offers it was given (launch or
 * decline), so no offer is held between plans.
 *
 * <p>It writes its intent before it acts: the state naming every task about to be launched or killed, and
 * the id of every command it carried out, is on {@code kos.apps} before the accept, the kill or the answer
 * goes out. A restarted framework therefore knows each task it may have launched (and waits for its status,
 * up to the planner's staging timeout, instead of launching it again) and answers a command delivered again
 * as the first time.
 *
 * <p>One instance acts at a time: the runtime fences an earlier instance's writes before a new one reads
 * {@code kos.apps} (see {@link FrameworkRuntime}), and a replaced instance stops acting ({@link #replaced()}).
 */
public final class AppsFramework implements FrameworkRuntime.Framework<AppState>, AutoCloseable {

  public static final String FRAMEWORK_ID = "apps";
  public static final String GROUP = "kos-apps";

  private static final Logger log = LoggerFactory.getLogger(AppsFramework.class);

  private final ControlBus bus;
  private final String role;
  private final CommandHandler handler;
  private final Planner planner = new Planner(PlannerConfig.DEFAULT);
  private final Clock clock;
  private final FrameworkRuntime<AppState> runtime;
  private final Map<String, String> unplaced = new HashMap<>();
  private final Map<String, List<Operation>> heldLaunches = new HashMap<>();
  private final Set<String> draining = new HashSet<>();
  /** How long an instance that served is out of kos.endpoints before its kill goes out. */
  private final Duration killGrace;
  /** Kills decided and written, waiting for their grace to pass ({@link KillGrace}). */
  private List<KillGrace.Pending> pendingKills = List.of();
  /** When the latest plan asked to be woken up. */
  private Optional<Instant> planWakeUp = Optional.empty();
  private final Map<String, AppState> published = new HashMap<>();
  /** Each app's endpoints as last written to {@code kos.endpoints}, and as the write in progress leaves them. */
  private final Map<String, Endpoints.AppEndpoints> publishedEndpoints = new HashMap<>();
  private Map<String, Endpoints.AppEndpoints> pendingEndpoints = Map.of();
  private Map<String, AppDefinition> apps = Map.of();
  private List<Instance> instances = List.of();
  private Map<String, String> deployments = Map.of();
  private CommandLog handled = CommandLog.EMPTY;
  private long plans;

  public AppsFramework(ControlBus bus, String role, TenantPolicy policy, Clock clock) {
    this(bus, role, policy, clock, KillGrace.DEFAULT);
  }

  /**
   * @param killGrace how long an instance that served stays out of {@code kos.endpoints} before it is killed, so
   *     load balancers stop sending it requests first (zero: killed as soon as it is out)
   */
  public AppsFramework(ControlBus bus, String role, TenantPolicy policy, Clock clock, Duration killGrace) {
    this.killGrace = killGrace;
    this.bus = bus;
    this.role = role;
    this.handler = new CommandHandler(policy);
    this.clock = clock;
    this.runtime = new FrameworkRuntime<>(bus, FrameworkSettings.of(FRAMEWORK_ID, role), GROUP, Topics.APPS, clock,
        LoopSupervisor.forProcess());
  }

  /** The tenant policy in a properties file (format in {@link TenantPolicy}); without one, all may do all. */
  public static TenantPolicy policy(Optional<Path> file) {
    if (file.isEmpty()) {
      return TenantPolicy.OPEN;
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file.get())) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the tenant policy " + file.get(), e);
    }
    return TenantPolicy.parse(properties);
  }

  /** Checks each command's principal against {@code policy} before the tenant policy (call before starting). */
  public AppsFramework authorizing(AccessPolicy policy) {
    runtime.authorizing(policy, Answerer.APPS_FRAMEWORK);
    return this;
  }

  /** Restores the apps from {@code kos.apps}, registers the framework and starts taking commands. */
  public AppsFramework start() {
    return takeOverState().register();
  }

  /**
   * The first half of {@link #start()}: fences any earlier instance's state writes, then reads {@code kos.apps}.
   * Apart from {@code start} only a test calls it, to put a command between reading the state and taking
   * commands.
   */
  AppsFramework takeOverState() {
    runtime.takeOver(this);
    return this;
  }

  /** The second half of {@link #start()}: registers with the allocator and takes commands. */
  AppsFramework register() {
    runtime.register();
    return this;
  }

  /**
   * Completes, with the reason, once another instance of the framework registered and took over: this one
   * has stopped launching, killing, answering commands and writing its state. A process running the framework
   * should end then (with a failure status).
   */
  public CompletableFuture<String> replaced() {
    return runtime.replaced();
  }

  /** The latest plan's word on instances of {@code appId} that no offer took, if some are waiting. */
  public Optional<String> unplaced(String appId) {
    return runtime.read(() -> Optional.ofNullable(unplaced.get(appId)));
  }

  public Map<String, AppDefinition> apps() {
    return runtime.read(() -> apps);
  }

  public List<Instance> instances() {
    return runtime.read(() -> instances);
  }

  @Override
  public void close() throws InterruptedException {
    runtime.close();
  }

  /** Asks for the latest word on every task this framework believes is still out there, then plans. */
  @Override
  public void registered(SchedulerDriver driver) {
    List<String> unsettled = instances.stream()
        .filter(i -> i.state().isLive() || i.state() == InstanceState.KILLING).map(Instance::taskId).toList();
    if (!unsettled.isEmpty()) {
      log.info("reconciling {} tasks restored from {}", unsettled.size(), bus.topic(Topics.APPS));
      driver.reconcile(unsettled);
    }
    // A kill written before a restart may not have gone out (it waited for its grace): send it now; a kill of a
    // task that already ended changes nothing.
    Instant now = clock.instant();
    killWhenDue(instances.stream().filter(i -> i.state() == InstanceState.KILLING)
        .filter(i -> pendingKills.stream().noneMatch(p -> p.kill().taskId().equals(i.taskId())))
        .map(i -> new KillGrace.Pending(new AppDecision.Kill(i.instanceId(), i.taskId(), i.agent().agentId(),
            "it was being killed when the framework restarted"), now))
        .toList());
    step(() -> plan(List.of()));
  }

  @Override
  public void offers(List<dev.kos.model.OfferView> offers) {
    List<dev.kos.model.OfferView> unused = offers.stream().filter(offer -> !launchHeld(offer)).toList();
    step(() -> plan(unused));
  }

  @Override
  public void statusUpdate(TaskStatusUpdate status) {
    if (Instances.stray(instances, AppsAvro.status(status))) {
      log.warn("task {} on agent {} is {} but no instance has it (an instance this one replaced launched it?); "
          + "killing it", status.taskId(), status.agentId(), status.state());
      runtime.driver().killTask(status.agentId(), status.taskId());
      return;
    }
    step(() -> instances = Instances.afterStatus(instances, AppsAvro.status(status)));
    step(() -> plan(List.of()));
  }

  @Override
  public void wakeUp() {
    killWhenDue(List.of());
    step(() -> plan(List.of()));
  }

  /**
   * Adds {@code kills} (decided now, already written to kos.apps and so out of kos.endpoints) to the pending ones and
   * sends those whose grace has passed ({@link KillGrace}); the rest wait for a wake-up.
   */
  private void killWhenDue(List<KillGrace.Pending> kills) {
    List<KillGrace.Pending> all = new ArrayList<>(pendingKills);
    all.addAll(kills);
    KillGrace.Due due = KillGrace.due(all, clock.instant());
    pendingKills = due.later();
    for (AppDecision.Kill kill : due.now()) {
      log.info("killing {} on {}: {}", kill.taskId(), kill.agentId(), kill.reason());
      runtime.driver().killTask(kill.agentId(), kill.taskId());
    }
    rearmWakeUp();
  }

  /** Wakes up for the plan's next wish or the next pending kill, whichever comes first. */
  private void rearmWakeUp() {
    Optional<Instant> kill = pendingKills.stream().map(KillGrace.Pending::due).min(Comparator.naturalOrder());
    runtime.wakeUpAt(planWakeUp.isEmpty() ? kill : kill.isEmpty() ? planWakeUp
        : Optional.of(kill.get().isBefore(planWakeUp.get()) ? kill.get() : planWakeUp.get()));
  }

  @Override
  public Optional<CommandResult> command(Command record, Instant now) {
    Optional<AppsAvro.Drain> drain = AppsAvro.drain(record);
    if (drain.isPresent()) {
      onDrain(drain.get());
      return Optional.empty(); // the allocator answers a drain
    }
    Optional<CommandEnvelope> envelope;
    try {
      envelope = AppsAvro.command(record);
    } catch (IllegalArgumentException e) {
      // A spec the core cannot even hold (a container image reference no agent could read): say so to its sender.
      log.info("command {} rejected: {}", record.getCommandId(), e.getMessage());
      return Optional.of(AppsAvro.result(record.getCommandId(), new AppCommandOutcome.Rejected(e.getMessage()),
          FRAMEWORK_ID, now));
    }
    if (envelope.isEmpty()) {
      return Optional.empty();
    }
    CommandEnvelope command = envelope.get();
    AppCommandOutcome decided = handler.handle(apps, instances, handled, command);
    AppCommandOutcome outcome = decided instanceof AppCommandOutcome.Accepted
        ? outsideRole(command.command()).<AppCommandOutcome>map(AppCommandOutcome.Rejected::new).orElse(decided)
        : decided;
    String target = targetApp(command.command(), outcome);
    if (outcome instanceof AppCommandOutcome.Replayed replayed) {
      log.info("command {} was answered before ({}); answering the same and doing nothing again",
          command.commandId(), replayed.original().accepted() ? "accepted" : "rejected");
    } else {
      handled = handled.with(HandledCommand.of(command.commandId(), target, outcome));
    }
    if (outcome instanceof AppCommandOutcome.Accepted accepted) {
      step(() -> {
        List<Instance> before = instances;
        apps = accepted.apps();
        instances = Instances.afterPlan(instances, new Plan(List.copyOf(accepted.kills())), now);
        StatusChanges.Result started = StatusChanges.started(apps, instances, deployments, target,
            accepted.deploymentId(), command.command().summary());
        deployments = started.deployments();
        publishEvents(started.events());
        // Intent first: the new desired state and this command's id are on kos.apps before anything is
        // done, so a restart neither loses an accepted command nor carries it out twice.
        if (!runtime.saveNow()) {
          return;
        }
        killWhenDue(KillGrace.schedule(accepted.kills(), before, now, killGrace));
        log.info("command {} accepted: {} {}", command.commandId(), target, command.command().summary());
        plan(List.of());
      });
    } else if (outcome instanceof AppCommandOutcome.Rejected rejected) {
      log.info("command {} rejected: {}", command.commandId(), rejected.reason());
    }
    return Optional.of(AppsAvro.result(command.commandId(), outcome, FRAMEWORK_ID, now));
  }

  /** The app a command is about: its target, or for a kill of an instance, that instance's app. */
  private String targetApp(AppCommand command, AppCommandOutcome outcome) {
    String appId = command.target();
    if (apps.containsKey(appId) || outcome instanceof AppCommandOutcome.Accepted accepted
        && accepted.apps().containsKey(appId)) {
      return appId;
    }
    return instances.stream().filter(i -> i.taskId().equals(appId) || i.instanceId().equals(appId))
        .map(Instance::appId).findFirst().orElse(appId);
  }

  /**
   * An agent being drained: its instances move away within each app's upgrade bounds, and nothing new
   * lands on it. The allocator answers the command and says when the agent is empty.
   */
  private void onDrain(AppsAvro.Drain drain) {
    boolean changed = drain.draining() ? draining.add(drain.agentId()) : draining.remove(drain.agentId());
    if (changed) {
      log.info("agent {} {}", drain.agentId(), drain.draining() ? "is draining: moving instances off it"
          : "is no longer draining");
      step(() -> plan(List.of()));
    }
  }

  private Optional<String> outsideRole(AppCommand command) {
    Optional<AppDefinition> app = command instanceof AppCommand.Deploy deploy ? Optional.of(deploy.app())
        : command instanceof AppCommand.Update update ? Optional.of(update.app()) : Optional.empty();
    return app.filter(a -> !a.role().equals(role)).map(a -> "app " + a.id() + " asks for role " + a.role()
        + ", but the apps framework runs every app in its role " + role);
  }

  /**
   * An accept that reserves uses its offer up (see the allocator), so the launches of a stateful
   * instance's first start wait for the next offer of that agent, which holds the reservation.
   */
  private List<Operation> holdLaunchesBehindReservations(String agentId, List<Operation> operations) {
    if (operations.stream().noneMatch(Operation.Reserve.class::isInstance)) {
      return operations;
    }
    operations.stream().filter(Operation.Launch.class::isInstance)
        .forEach(launch -> heldLaunches.computeIfAbsent(agentId, id -> new ArrayList<>()).add(launch));
    return operations.stream().filter(op -> !(op instanceof Operation.Launch)).toList();
  }

  /** Launches what waited for this agent's reservation on {@code offer}; true if the offer is used. */
  private boolean launchHeld(dev.kos.model.OfferView offer) {
    List<Operation> held = heldLaunches.get(offer.agentId());
    if (held == null) {
      return false;
    }
    try {
      runtime.driver().accept(List.of(offer.offerId()), held);
      heldLaunches.remove(offer.agentId());
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("could not launch {} on offer {}: {}", held, offer.offerId(), e.getMessage());
      return false;
    }
  }

  /**
   * Runs a change of state and tells the world what it changed: status events now (the durable
   * {@code AppState} of changed apps the runtime writes within a moment).
   */
  private void step(Runnable change) {
    List<Instance> before = instances;
    change.run();
    StatusChanges.Result result = StatusChanges.between(apps, before, instances, deployments);
    deployments = result.deployments();
    publishEvents(result.events());
  }

  /** Plans with {@code offers} and carries the plan out, inside a {@link #step}. */
  private void plan(List<dev.kos.model.OfferView> offers) {
    Instant now = clock.instant();
    List<PlannerOffer> views = offers.stream().map(AppsAvro::offer).toList();
    Plan plan = planner.plan(new Snapshot(apps, instances, views, now, Long.toString(++plans), draining));
    publishEvents(StatusChanges.ofPlan(plan, unplaced, apps, instances, deployments));
    Map<String, List<Operation>> operations = new LinkedHashMap<>();
    Map<String, List<AppDecision.Launch>> launches = new LinkedHashMap<>();
    Map<String, AppDecision.Unplaced> waiting = new HashMap<>();
    for (AppDecision decision : plan.decisions()) {
      if (decision instanceof AppDecision.Launch launch) {
        operations.computeIfAbsent(launch.offerId(), id -> new ArrayList<>())
            .addAll(AppsAvro.operations(launch, apps.get(launch.appId()), FRAMEWORK_ID));
        launches.computeIfAbsent(launch.offerId(), id -> new ArrayList<>()).add(launch);
      } else if (decision instanceof AppDecision.Unplaced wait) {
        waiting.put(wait.appId(), wait);
      }
    }
    List<Instance> before = instances;
    instances = Instances.afterPlan(before, plan, now);
    if (!plan.launches().isEmpty() || !plan.all(AppDecision.Kill.class).isEmpty()) {
      // Intent first: every task about to be launched (and every kill) is on kos.apps before its accept
      // goes out, so a framework restarted a moment later knows the task and waits for its status instead
      // of launching the instance a second time.
      if (!runtime.saveNow()) {
        return;
      }
    }
    for (AppDecision decision : plan.decisions()) {
      if (decision instanceof AppDecision.Decline decline) {
        runtime.driver().decline(decline.offerId(), decline.refuse());
      }
    }
    planWakeUp = plan.wakeUpAt();
    killWhenDue(KillGrace.schedule(plan.all(AppDecision.Kill.class), before, now, killGrace));
    Set<AppDecision.Launch> failed = new HashSet<>();
    operations.forEach((offerId, ops) -> {
      try {
        runtime.driver().accept(List.of(offerId), holdLaunchesBehindReservations(launches.get(offerId).get(0).agent()
            .agentId(), ops));
      } catch (IllegalArgumentException e) {
        log.warn("could not launch {} on offer {}: {}", launches.get(offerId), offerId, e.getMessage());
        failed.addAll(launches.get(offerId));
      }
    });
    recordUnplaced(waiting);
    runtime.wantOffers(plan.wantsOffers() || !failed.isEmpty() || !heldLaunches.isEmpty());
    if (!failed.isEmpty()) {
      instances = Instances.afterPlan(before,
          new Plan(plan.decisions().stream().filter(d -> !failed.contains(d)).toList()), now);
    }
  }

  /**
   * Keeps each app's latest reason for waiting. A plan without offers (after a status update) knows
   * only that it had none, so it does not replace a reason that names the agents and rules.
   */
  private void recordUnplaced(Map<String, AppDecision.Unplaced> waiting) {
    Map<String, String> next = new HashMap<>();
    waiting.forEach((appId, wait) -> {
      String before = unplaced.get(appId);
      String message = wait.offers() == 0 && before != null ? before : wait.message();
      if (!message.equals(before)) {
        log.info(message);
      }
      next.put(appId, message);
    });
    unplaced.clear();
    unplaced.putAll(next);
  }

  private void publishEvents(List<StatusChanges.Event> events) {
    Instant now = clock.instant();
    for (StatusChanges.Event event : events) {
      runtime.publishEvent(Topics.STATUS, event.appId(), AppsStateAvro.event(event, FRAMEWORK_ID, now));
    }
  }

  /** The state of each app that differs from what was last written; null for an app to forget. */
  @Override
  public Map<String, AppState> stateChanges() {
    Instant now = clock.instant();
    Map<String, List<Instance>> byApp = new HashMap<>();
    instances.forEach(i -> byApp.computeIfAbsent(i.appId(), id -> new ArrayList<>()).add(i));
    Set<String> appIds = new TreeSet<>(apps.keySet());
    appIds.addAll(byApp.keySet());
    appIds.addAll(published.keySet());
    Map<String, AppState> changes = new LinkedHashMap<>();
    for (String appId : appIds) {
      Optional<AppDefinition> app = Optional.ofNullable(apps.get(appId));
      List<Instance> mine = byApp.getOrDefault(appId, List.of());
      AppState before = published.get(appId);
      if (app.isEmpty() && mine.isEmpty()) {
        handled = handled.without(appId);
        if (before != null) {
          changes.put(appId, null);
        }
        continue;
      }
      AppState state = AppsStateAvro.state(appId, app, before == null ? null : before.getSpec(),
          before == null ? null : before.getVersion(), mine, Optional.ofNullable(deployments.get(appId)),
          Optional.ofNullable(unplaced.get(appId)), plans, handled.of(appId), now);
      if (before == null || !sameContent(before, state)) {
        changes.put(appId, state);
      }
    }
    return changes;
  }

  /** Where each app is reached, when that changed since it was last written; a removed app's key is deleted. */
  @Override
  public List<FrameworkRuntime.Derived<?>> derivedChanges() {
    Map<String, Endpoints.AppEndpoints> now = Endpoints.of(apps, instances);
    Instant at = clock.instant();
    List<FrameworkRuntime.Derived<?>> changes = new ArrayList<>();
    now.forEach((appId, endpoints) -> {
      if (!endpoints.equals(publishedEndpoints.get(appId))) {
        changes.add(new FrameworkRuntime.Derived<>(Topics.ENDPOINTS, appId, AppsAvro.endpoints(endpoints, at)));
      }
    });
    publishedEndpoints.keySet().stream().filter(appId -> !now.containsKey(appId))
        .forEach(appId -> changes.add(new FrameworkRuntime.Derived<>(Topics.ENDPOINTS, appId, null)));
    pendingEndpoints = now;
    return changes;
  }

  @Override
  public void stateCommitted(Map<String, AppState> changes) {
    publishedEndpoints.clear();
    publishedEndpoints.putAll(pendingEndpoints);
    changes.forEach((appId, state) -> {
      if (state == null) {
        published.remove(appId);
      } else {
        published.put(appId, state);
      }
    });
  }

  private static boolean sameContent(AppState a, AppState b) {
    return a.getSpec().equals(b.getSpec()) && a.getVersion().equals(b.getVersion())
        && a.getRemoved() == b.getRemoved() && Objects.equals(a.getDeploymentId(), b.getDeploymentId())
        && a.getInstances().equals(b.getInstances()) && Objects.equals(a.getUnplaced(), b.getUnplaced())
        && a.getHandledCommands().equals(b.getHandledCommands());
  }

  /** Resumes from {@code kos.apps}: apps, instances, deployments in progress, and the plan counter. */
  @Override
  public void restore(Map<String, AppState> states) {
    Map<String, AppDefinition> restoredApps = new HashMap<>();
    List<Instance> restoredInstances = new ArrayList<>();
    Map<String, String> restoredDeployments = new HashMap<>();
    long counter = 0;
    CommandLog restoredLog = CommandLog.EMPTY;
    for (AppState state : states.values()) {
      AppsStateAvro.Restored restored = AppsStateAvro.restore(state);
      restored.app().ifPresent(app -> restoredApps.put(app.id(), app));
      restoredInstances.addAll(restored.instances());
      restored.deploymentId().ifPresent(id -> restoredDeployments.put(state.getAppId(), id));
      Optional.ofNullable(state.getUnplaced()).ifPresent(message -> unplaced.put(state.getAppId(), message));
      counter = Math.max(counter, restored.planCounter());
      for (HandledCommand command : restored.handled()) {
        restoredLog = restoredLog.with(command);
      }
    }
    apps = Map.copyOf(restoredApps);
    instances = List.copyOf(restoredInstances);
    deployments = Map.copyOf(restoredDeployments);
    plans = counter;
    handled = restoredLog;
    published.putAll(states);
    if (!states.isEmpty()) {
      log.info("restored {} apps and {} instances from {}", restoredApps.size(), restoredInstances.size(),
          bus.topic(Topics.APPS));
    }
  }
}
