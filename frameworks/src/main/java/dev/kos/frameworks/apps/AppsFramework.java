package dev.kos.frameworks.apps;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.TransactionalPublisher;
import dev.kos.bus.catalog.ServiceAcls;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.HandOverException;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.OfferInterest;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.apps.core.AppCommand;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.CommandEnvelope;
import dev.kos.frameworks.apps.core.CommandHandler;
import dev.kos.frameworks.apps.core.CommandLog;
import dev.kos.frameworks.apps.core.CommandOutcome;
import dev.kos.frameworks.apps.core.Decision;
import dev.kos.frameworks.apps.core.HandledCommand;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.Instances;
import dev.kos.frameworks.apps.core.OfferView;
import dev.kos.frameworks.apps.core.Plan;
import dev.kos.frameworks.apps.core.Planner;
import dev.kos.frameworks.apps.core.PlannerConfig;
import dev.kos.frameworks.apps.core.Snapshot;
import dev.kos.frameworks.apps.core.StatusChanges;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.frameworks.apps.edge.AvroMapping;
import dev.kos.frameworks.apps.edge.StateMapping;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps framework's bus shell around its pure core: a {@link Scheduler} on a {@link BusSchedulerDriver}
 * registered as {@value #FRAMEWORK_ID}, plus a consumer of {@code kos.commands} (group {@value #GROUP}) that
 * answers on {@code kos.command-results}.
 *
 * <p>State is the replay of records: every change of an app (definition, instances, deployment, unplaced
 * reason) is written as an {@code AppState} to the compacted {@code kos.apps}, batched every
 * {@value #STATE_FLUSH_MS} ms (and at once before the framework acts, see below). A restarted framework reads
 * that topic to its end, then reconciles the tasks it believes alive with {@code kos.tasks} (a task kos never
 * heard of comes back LOST and is relaunched, unless it is still STAGING: its launch may be in flight).
 * What users watch goes to {@code kos.status}: instance transitions and deployment progress, each event
 * with the app's tallies. Offers are gathered for {@value #OFFER_BATCH_MS} ms and planned together, so
 * one plan sees the agents side by side (and an unplaced message names all of them).
 *
 * <p>The framework has one role, and every app runs in it: a deploy or update of an app in another role is
 * rejected (after the tenant policy had its say). All core calls and every plan run under one lock, because
 * commands, driver callbacks and backoff wake-ups come on three threads. Every plan answers all offers it was
 * given (launch or decline), so no offer is held between plans.
 *
 * <p>It writes its intent before it acts: the state naming every task about to be launched or killed, and
 * the id of every command it carried out, is on {@code kos.apps} before the accept, the kill or the answer
 * goes out. A restarted framework therefore knows each task it may have launched (and waits for its status,
 * up to the planner's staging timeout, instead of launching it again) and answers a command delivered again
 * as the first time.
 *
 * <p>One instance acts at a time. Its state and its answers to commands are written in transactions under
 * one transactional id ({@value ServiceAcls#FRAMEWORK_TRANSACTIONAL_ID_PREFIX}apps) that a starting instance
 * takes over before it reads {@code kos.apps}: from then on the earlier instance can commit nothing, so
 * whatever it did before is in the state the new one reads, and what it tries after fails. An instance that
 * finds itself fenced so, or sees a newer registration, stops acting ({@link #replaced()}) and leaves the
 * command in hand uncommitted for the new instance.
 */
public final class AppsFramework implements Scheduler, AutoCloseable {

  public static final String FRAMEWORK_ID = "apps";
  public static final String GROUP = "kos-apps";

  static final long STATE_FLUSH_MS = 100;
  static final long OFFER_BATCH_MS = 20;

  private static final Logger log = LoggerFactory.getLogger(AppsFramework.class);

  private final ControlBus bus;
  private final String role;
  private final CommandHandler handler;
  private final Planner planner = new Planner(PlannerConfig.DEFAULT);
  private final Clock clock;
  private final Object lock = new Object();
  private final BusPublisher publisher;
  private final TransactionalPublisher statePublisher;
  private final BusSchedulerDriver driver;
  private final ScheduledExecutorService timer;
  private final Map<String, String> unplaced = new HashMap<>();
  private final Map<String, dev.kos.model.OfferView> pendingOffers = new LinkedHashMap<>();
  private final Map<String, List<Operation>> heldLaunches = new HashMap<>();
  private final Set<String> draining = new HashSet<>();
  private final Map<String, AppState> published = new HashMap<>();
  private Map<String, AppDefinition> apps = Map.of();
  private List<Instance> instances = List.of();
  private Map<String, String> deployments = Map.of();
  private CommandLog handled = CommandLog.EMPTY;
  private long plans;
  private final OfferInterest offerInterest = new OfferInterest();
  private ScheduledFuture<?> wakeUp;
  private ScheduledFuture<?> offerBatch;
  private ScheduledFuture<?> stateFlush;
  private BusConsumerLoop<Command> commands;
  private Thread commandThread;
  private final CompletableFuture<String> replaced = new CompletableFuture<>();

  public AppsFramework(ControlBus bus, String role, TenantPolicy policy, Clock clock) {
    this.bus = bus;
    this.role = role;
    this.handler = new CommandHandler(policy);
    this.clock = clock;
    this.publisher = new BusPublisher(bus, "framework-" + FRAMEWORK_ID + "-commands");
    this.statePublisher = new TransactionalPublisher(bus, "framework-" + FRAMEWORK_ID + "-state",
        ServiceAcls.FRAMEWORK_TRANSACTIONAL_ID_PREFIX + FRAMEWORK_ID);
    this.driver = new BusSchedulerDriver(bus, FrameworkSettings.of(FRAMEWORK_ID, role), this, clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framework-" + FRAMEWORK_ID + "-wake-up");
      thread.setDaemon(true);
      return thread;
    });
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
    statePublisher.fenceEarlierInstances();
    restore();
    return this;
  }

  /** The second half of {@link #start()}: registers with the allocator and takes commands. */
  AppsFramework register() {
    driver.start();
    commands = new BusConsumerLoop<>(bus, GROUP, "framework-" + FRAMEWORK_ID + "-commands",
        Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        (topic, value) -> bus.serde(Topics.COMMANDS).deserialize(topic, value), this::onCommand,
        new DeadLetterPublisher(bus, publisher, GROUP, clock::instant));
    // A command loop that dies would leave a framework that heartbeats and answers nothing: end the process.
    commandThread = LoopSupervisor.forProcess().start("framework-" + FRAMEWORK_ID + "-commands", commands);
    return this;
  }

  /**
   * Completes, with the reason, once another instance of the framework registered and took over: this one
   * has stopped launching, killing, answering commands and writing its state. A process running the framework
   * should end then (with a failure status).
   */
  public CompletableFuture<String> replaced() {
    return replaced;
  }

  /** The latest plan's word on instances of {@code appId} that no offer took, if some are waiting. */
  public Optional<String> unplaced(String appId) {
    synchronized (lock) {
      return Optional.ofNullable(unplaced.get(appId));
    }
  }

  public Map<String, AppDefinition> apps() {
    synchronized (lock) {
      return apps;
    }
  }

  public List<Instance> instances() {
    synchronized (lock) {
      return instances;
    }
  }

  /** Asks for the latest word on every task this framework believes is still out there, then plans. */
  @Override
  public void registered(SchedulerDriver driver) {
    synchronized (lock) {
      if (replaced.isDone()) {
        return;
      }
      List<String> unsettled = instances.stream()
          .filter(i -> i.state().isLive() || i.state() == InstanceState.KILLING).map(Instance::taskId).toList();
      if (!unsettled.isEmpty()) {
        log.info("reconciling {} tasks restored from {}", unsettled.size(), bus.topic(Topics.APPS));
        driver.reconcile(unsettled);
      }
      step(() -> plan(List.of()));
    }
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<dev.kos.model.OfferView> offers) {
    synchronized (lock) {
      offers.forEach(offer -> pendingOffers.put(offer.offerId(), offer));
      if (offerBatch == null) {
        offerBatch = timer.schedule(this::planPendingOffers, OFFER_BATCH_MS, TimeUnit.MILLISECONDS);
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    synchronized (lock) {
      pendingOffers.remove(offerId);
    }
    log.debug("offer {} rescinded: {}", offerId, reason);
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    synchronized (lock) {
      if (replaced.isDone()) {
        return;
      }
      if (Instances.stray(instances, AvroMapping.status(status))) {
        log.warn("task {} on agent {} is {} but no instance has it (an instance this one replaced launched it?); "
            + "killing it", status.taskId(), status.agentId(), status.state());
        driver.killTask(status.agentId(), status.taskId());
        return;
      }
      step(() -> instances = Instances.afterStatus(instances, AvroMapping.status(status)));
      step(() -> plan(List.of()));
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    log.error("apps framework: {}", message);
  }

  @Override
  public void fenced(SchedulerDriver driver, String reason) {
    stopActing(reason);
  }

  /** Stops launching, killing, answering and writing state, for good: another instance is in charge. */
  private void stopActing(String reason) {
    synchronized (lock) {
      if (replaced.isDone()) {
        return;
      }
      replaced.complete(reason);
      List.of(Optional.ofNullable(stateFlush), Optional.ofNullable(wakeUp), Optional.ofNullable(offerBatch))
          .forEach(task -> task.ifPresent(t -> t.cancel(false)));
    }
    log.error("apps framework stops acting: {}", reason);
    if (commands != null) {
      commands.close();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (commands != null) {
      commands.close();
      commandThread.join(Duration.ofSeconds(10).toMillis());
    }
    synchronized (lock) {
      try {
        flushState(Optional.empty());
      } catch (IllegalStateException e) {
        log.warn("closing with state not saved: {}", e.getMessage());
      }
    }
    driver.close();
    timer.shutdownNow();
    publisher.close();
    statePublisher.close();
  }

  private void onCommand(BusRecord<Command> record) {
    if (record.value() == null) {
      return;
    }
    Optional<AvroMapping.Drain> drain = AvroMapping.drain(record.value());
    if (drain.isPresent()) {
      synchronized (lock) {
        handOverIfReplaced();
        onDrain(drain.get());
      }
      return;
    }
    Optional<CommandEnvelope> envelope = AvroMapping.command(record.value());
    if (envelope.isEmpty()) {
      return;
    }
    synchronized (lock) {
      handOverIfReplaced();
      Instant now = clock.instant();
      CommandEnvelope command = envelope.get();
      CommandOutcome decided = handler.handle(apps, instances, handled, command);
      CommandOutcome outcome = decided instanceof CommandOutcome.Accepted
          ? outsideRole(command.command()).<CommandOutcome>map(CommandOutcome.Rejected::new).orElse(decided)
          : decided;
      String target = targetApp(command.command(), outcome);
      if (outcome instanceof CommandOutcome.Replayed replayed) {
        log.info("command {} was answered before ({}); answering the same and doing nothing again",
            command.commandId(), replayed.original().accepted() ? "accepted" : "rejected");
      } else {
        handled = handled.with(HandledCommand.of(command.commandId(), target, outcome));
      }
      if (outcome instanceof CommandOutcome.Accepted accepted) {
        step(() -> {
          apps = accepted.apps();
          instances = Instances.afterPlan(instances, new Plan(List.copyOf(accepted.kills())), now);
          StatusChanges.Result started = StatusChanges.started(apps, instances, deployments, target,
              accepted.deploymentId(), command.command().summary());
          deployments = started.deployments();
          publishEvents(started.events());
          // Intent first: the new desired state and this command's id are on kos.apps before anything is
          // done, so a restart neither loses an accepted command nor carries it out twice.
          if (!saveNow()) {
            return;
          }
          accepted.kills().forEach(kill -> driver.killTask(kill.agentId(), kill.taskId()));
          log.info("command {} accepted: {} {}", command.commandId(), target, command.command().summary());
          plan(List.of());
        });
      } else if (outcome instanceof CommandOutcome.Rejected rejected) {
        log.info("command {} rejected: {}", command.commandId(), rejected.reason());
      }
      // The answer goes out with the state that records it, or not at all.
      saveNow(Optional.of(AvroMapping.result(command.commandId(), outcome, FRAMEWORK_ID, now)));
      handOverIfReplaced();
    }
  }

  /** Leaves the command in hand to the instance that took over, uncommitted. Call with the lock held. */
  private void handOverIfReplaced() {
    if (replaced.isDone()) {
      throw new HandOverException("the apps framework was replaced: " + replaced.getNow(""));
    }
  }

  /** The app a command is about: its target, or for a kill of an instance, that instance's app. */
  private String targetApp(AppCommand command, CommandOutcome outcome) {
    String appId = command.target();
    if (apps.containsKey(appId) || outcome instanceof CommandOutcome.Accepted accepted
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
  private void onDrain(AvroMapping.Drain drain) {
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

  private void planPendingOffers() {
    synchronized (lock) {
      offerBatch = null;
      if (replaced.isDone()) {
        return;
      }
      List<dev.kos.model.OfferView> offers = pendingOffers.values().stream().filter(offer -> !launchHeld(offer))
          .toList();
      pendingOffers.clear();
      step(() -> plan(offers));
    }
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
      driver.accept(List.of(offer.offerId()), held);
      heldLaunches.remove(offer.agentId());
      return true;
    } catch (IllegalArgumentException e) {
      log.warn("could not launch {} on offer {}: {}", held, offer.offerId(), e.getMessage());
      return false;
    }
  }

  /**
   * Runs a change of state and tells the world what it changed: status events now, the durable
   * {@code AppState} of changed apps within {@value #STATE_FLUSH_MS} ms. Call with the lock held.
   */
  private void step(Runnable change) {
    List<Instance> before = instances;
    change.run();
    StatusChanges.Result result = StatusChanges.between(apps, before, instances, deployments);
    deployments = result.deployments();
    publishEvents(result.events());
    scheduleFlush();
  }

  /** Plans with {@code offers} and carries the plan out; call with the lock held, inside a {@link #step}. */
  private void plan(List<dev.kos.model.OfferView> offers) {
    Instant now = clock.instant();
    List<OfferView> views = offers.stream().map(AvroMapping::offer).toList();
    Plan plan = planner.plan(new Snapshot(apps, instances, views, now, Long.toString(++plans), draining));
    publishEvents(StatusChanges.ofPlan(plan, unplaced, apps, instances, deployments));
    Map<String, List<Operation>> operations = new LinkedHashMap<>();
    Map<String, List<Decision.Launch>> launches = new LinkedHashMap<>();
    Map<String, Decision.Unplaced> waiting = new HashMap<>();
    for (Decision decision : plan.decisions()) {
      if (decision instanceof Decision.Launch launch) {
        operations.computeIfAbsent(launch.offerId(), id -> new ArrayList<>())
            .addAll(AvroMapping.operations(launch, apps.get(launch.appId()), FRAMEWORK_ID));
        launches.computeIfAbsent(launch.offerId(), id -> new ArrayList<>()).add(launch);
      } else if (decision instanceof Decision.Unplaced wait) {
        waiting.put(wait.appId(), wait);
      }
    }
    List<Instance> before = instances;
    instances = Instances.afterPlan(before, plan, now);
    if (!plan.launches().isEmpty() || !plan.all(Decision.Kill.class).isEmpty()) {
      // Intent first: every task about to be launched (and every kill) is on kos.apps before its accept
      // goes out, so a framework restarted a moment later knows the task and waits for its status instead
      // of launching the instance a second time.
      if (!saveNow()) {
        return;
      }
    }
    for (Decision decision : plan.decisions()) {
      if (decision instanceof Decision.Kill kill) {
        log.info("killing {} on {}: {}", kill.taskId(), kill.agentId(), kill.reason());
        driver.killTask(kill.agentId(), kill.taskId());
      } else if (decision instanceof Decision.Decline decline) {
        driver.decline(decline.offerId(), decline.refuse());
      }
    }
    Set<Decision.Launch> failed = new HashSet<>();
    operations.forEach((offerId, ops) -> {
      try {
        driver.accept(List.of(offerId), holdLaunchesBehindReservations(launches.get(offerId).get(0).agent()
            .agentId(), ops));
      } catch (IllegalArgumentException e) {
        log.warn("could not launch {} on offer {}: {}", launches.get(offerId), offerId, e.getMessage());
        failed.addAll(launches.get(offerId));
      }
    });
    recordUnplaced(waiting);
    offerInterest.want(driver, plan.wantsOffers() || !failed.isEmpty() || !heldLaunches.isEmpty());
    if (!failed.isEmpty()) {
      instances = Instances.afterPlan(before,
          new Plan(plan.decisions().stream().filter(d -> !failed.contains(d)).toList()), now);
    }
    scheduleWakeUp(plan.wakeUpAt());
  }

  /**
   * Keeps each app's latest reason for waiting. A plan without offers (after a status update) knows
   * only that it had none, so it does not replace a reason that names the agents and rules.
   */
  private void recordUnplaced(Map<String, Decision.Unplaced> waiting) {
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
      publisher.publishAsync(Topics.STATUS, event.appId(), StateMapping.event(event, FRAMEWORK_ID, now),
          error -> log.warn("could not publish {} of {} on {}: {}", event.kind(), event.appId(),
              bus.topic(Topics.STATUS), error.getMessage()));
    }
  }

  /**
   * Writes, in one transaction, the {@code AppState} of every app that changed since it was last written, a
   * tombstone for a removed app once none of its instances is left, and {@code answer} if there is one.
   * Call with the lock held.
   *
   * @return false if this instance was fenced (it has stopped acting and wrote nothing)
   * @throws IllegalStateException if the transaction failed otherwise; nothing was written, and what changed
   *     stays to be written by the next flush
   */
  private boolean flushState(Optional<CommandResult> answer) {
    stateFlush = null;
    if (replaced.isDone()) {
      return false; // kos.apps belongs to the instance that took over
    }
    Map<String, AppState> changes = changedStates();
    if (changes.isEmpty() && answer.isEmpty()) {
      return true;
    }
    try {
      statePublisher.inTransaction(transaction -> {
        changes.forEach((appId, state) -> transaction.publish(Topics.APPS, appId, state));
        answer.ifPresent(result -> transaction.publish(Topics.COMMAND_RESULTS, result.getCommandId(), result));
      });
    } catch (TransactionalPublisher.FencedException e) {
      stopActing("another instance took over " + bus.topic(Topics.APPS) + " (" + e.getMessage() + ")");
      return false;
    } catch (IllegalStateException e) {
      log.error("could not save the apps' state on {}: {}", bus.topic(Topics.APPS), e.getMessage());
      scheduleFlush();
      throw e;
    }
    changes.forEach((appId, state) -> {
      if (state == null) {
        published.remove(appId);
      } else {
        published.put(appId, state);
      }
    });
    return true;
  }

  /** The state of each app that differs from what was last written; null for an app to forget. */
  private Map<String, AppState> changedStates() {
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
      AppState state = StateMapping.state(appId, app, before == null ? null : before.getSpec(),
          before == null ? null : before.getVersion(), mine, Optional.ofNullable(deployments.get(appId)),
          Optional.ofNullable(unplaced.get(appId)), plans, handled.of(appId), now);
      if (before == null || !sameContent(before, state)) {
        changes.put(appId, state);
      }
    }
    return changes;
  }

  /**
   * Writes what changed and waits until the broker has it: called before the framework acts (launches,
   * kills, answers a command), so a restart finds every task it may have started and every command it
   * carried out. Call with the lock held.
   *
   * @return false if this instance was fenced: it must not act
   */
  private boolean saveNow() {
    return saveNow(Optional.empty());
  }

  /** {@link #saveNow()} with the answer to a command in the same transaction. */
  private boolean saveNow(Optional<CommandResult> answer) {
    if (stateFlush != null) {
      stateFlush.cancel(false);
    }
    return flushState(answer);
  }

  /** Writes the state within {@value #STATE_FLUSH_MS} ms, unless a write is already due. */
  private void scheduleFlush() {
    if (stateFlush == null && !replaced.isDone()) {
      stateFlush = timer.schedule(() -> {
        synchronized (lock) {
          try {
            flushState(Optional.empty());
          } catch (IllegalStateException e) {
            // logged, and rescheduled, by flushState
          }
        }
      }, STATE_FLUSH_MS, TimeUnit.MILLISECONDS);
    }
  }

  private static boolean sameContent(AppState a, AppState b) {
    return a.getSpec().equals(b.getSpec()) && a.getVersion().equals(b.getVersion())
        && a.getRemoved() == b.getRemoved() && Objects.equals(a.getDeploymentId(), b.getDeploymentId())
        && a.getInstances().equals(b.getInstances()) && Objects.equals(a.getUnplaced(), b.getUnplaced())
        && a.getHandledCommands().equals(b.getHandledCommands());
  }

  /** Resumes from {@code kos.apps}: apps, instances, deployments in progress, and the plan counter. */
  private void restore() {
    Map<String, AppState> states = CompactedTopics.readToEnd(bus, Topics.APPS);
    Map<String, AppDefinition> restoredApps = new HashMap<>();
    List<Instance> restoredInstances = new ArrayList<>();
    Map<String, String> restoredDeployments = new HashMap<>();
    long counter = 0;
    CommandLog restoredLog = CommandLog.EMPTY;
    for (AppState state : states.values()) {
      StateMapping.Restored restored = StateMapping.restore(state);
      restored.app().ifPresent(app -> restoredApps.put(app.id(), app));
      restoredInstances.addAll(restored.instances());
      restored.deploymentId().ifPresent(id -> restoredDeployments.put(state.getAppId(), id));
      Optional.ofNullable(state.getUnplaced()).ifPresent(message -> unplaced.put(state.getAppId(), message));
      counter = Math.max(counter, restored.planCounter());
      for (HandledCommand command : restored.handled()) {
        restoredLog = restoredLog.with(command);
      }
    }
    synchronized (lock) {
      apps = Map.copyOf(restoredApps);
      instances = List.copyOf(restoredInstances);
      deployments = Map.copyOf(restoredDeployments);
      plans = counter;
      handled = restoredLog;
      published.putAll(states);
    }
    if (!states.isEmpty()) {
      log.info("restored {} apps and {} instances from {}", restoredApps.size(), restoredInstances.size(),
          bus.topic(Topics.APPS));
    }
  }

  private void scheduleWakeUp(Optional<Instant> at) {
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
    }
    at.ifPresent(when -> wakeUp = timer.schedule(() -> {
      synchronized (lock) {
        if (!replaced.isDone()) {
          step(() -> plan(List.of()));
        }
      }
    }, Math.max(0, Duration.between(clock.instant(), when).toMillis()), TimeUnit.MILLISECONDS));
  }
}
