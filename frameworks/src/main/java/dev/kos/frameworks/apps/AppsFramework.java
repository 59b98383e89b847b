package dev.kos.frameworks.apps;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.frameworks.apps.core.AppCommand;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.CommandEnvelope;
import dev.kos.frameworks.apps.core.CommandHandler;
import dev.kos.frameworks.apps.core.CommandOutcome;
import dev.kos.frameworks.apps.core.Decision;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.Instances;
import dev.kos.frameworks.apps.core.OfferView;
import dev.kos.frameworks.apps.core.Plan;
import dev.kos.frameworks.apps.core.Planner;
import dev.kos.frameworks.apps.core.PlannerConfig;
import dev.kos.frameworks.apps.core.Snapshot;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.frameworks.apps.edge.AvroMapping;
import dev.kos.schema.Command;
import dev.kos.schema.Offer;
import dev.kos.schema.TaskStatus;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps framework's bus shell around its pure core: a {@link Scheduler} on a {@link BusSchedulerDriver}
 * registered as {@value #FRAMEWORK_ID}, plus a consumer of {@code kos.commands} (group {@value #GROUP}) that
 * answers on {@code kos.command-results}. Apps and instances live in memory only.
 *
 * <p>The framework has one role, and every app runs in it: a deploy or update of an app in another role is
 * rejected (after the tenant policy had its say). All core calls and every plan run under one lock, because
 * commands, driver callbacks and backoff wake-ups come on three threads. Every plan answers all offers it was
 * given (launch or decline), so no offer is held between plans.
 */
public final class AppsFramework implements Scheduler, AutoCloseable {

  public static final String FRAMEWORK_ID = "apps";
  public static final String GROUP = "kos-apps";

  private static final Logger log = LoggerFactory.getLogger(AppsFramework.class);

  private final ControlBus bus;
  private final String role;
  private final CommandHandler handler;
  private final Planner planner = new Planner(PlannerConfig.DEFAULT);
  private final Clock clock;
  private final Object lock = new Object();
  private final BusPublisher publisher;
  private final BusSchedulerDriver driver;
  private final ScheduledExecutorService timer;
  private final Map<String, Decision.Unplaced> unplaced = new HashMap<>();
  private Map<String, AppDefinition> apps = Map.of();
  private List<Instance> instances = List.of();
  private long plans;
  private boolean suppressed;
  private ScheduledFuture<?> wakeUp;
  private BusConsumerLoop<Command> commands;
  private Thread commandThread;

  public AppsFramework(ControlBus bus, String role, TenantPolicy policy, Clock clock) {
    this.bus = bus;
    this.role = role;
    this.handler = new CommandHandler(policy);
    this.clock = clock;
    this.publisher = new BusPublisher(bus, "framework-" + FRAMEWORK_ID + "-commands");
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

  /** Registers the framework and starts taking commands; returns once registered. */
  public AppsFramework start() {
    driver.start();
    commands = new BusConsumerLoop<>(bus, GROUP, "framework-" + FRAMEWORK_ID + "-commands",
        Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        (topic, value) -> bus.serde(Topics.COMMANDS).deserialize(topic, value), this::onCommand,
        new DeadLetterPublisher(bus, publisher, GROUP, clock::instant));
    commandThread = new Thread(commands, "framework-" + FRAMEWORK_ID + "-commands");
    commandThread.start();
    return this;
  }

  /** The latest plan's word on instances of {@code appId} that no offer took, if some are waiting. */
  public Optional<String> unplaced(String appId) {
    synchronized (lock) {
      return Optional.ofNullable(unplaced.get(appId)).map(Decision.Unplaced::message);
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

  @Override
  public void registered(SchedulerDriver driver) {
    synchronized (lock) {
      plan(List.of());
    }
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    synchronized (lock) {
      plan(offers);
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    log.debug("offer {} rescinded: {}", offerId, reason);
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    synchronized (lock) {
      instances = Instances.afterStatus(instances, AvroMapping.status(status));
      plan(List.of());
    }
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    log.error("apps framework: {}", message);
  }

  @Override
  public void close() throws InterruptedException {
    if (commands != null) {
      commands.close();
      commandThread.join(Duration.ofSeconds(10).toMillis());
    }
    driver.close();
    timer.shutdownNow();
    publisher.close();
  }

  private void onCommand(BusRecord<Command> record) {
    if (record.value() == null) {
      return;
    }
    Optional<CommandEnvelope> envelope = AvroMapping.command(record.value());
    if (envelope.isEmpty()) {
      return;
    }
    synchronized (lock) {
      Instant now = clock.instant();
      CommandOutcome handled = handler.handle(apps, instances, envelope.get());
      CommandOutcome outcome = handled instanceof CommandOutcome.Accepted
          ? outsideRole(envelope.get().command()).<CommandOutcome>map(CommandOutcome.Rejected::new).orElse(handled)
          : handled;
      if (outcome instanceof CommandOutcome.Accepted accepted) {
        apps = accepted.apps();
        accepted.kills().forEach(kill -> driver.killTask(kill.agentId(), kill.taskId()));
        instances = Instances.afterPlan(instances, new Plan(List.copyOf(accepted.kills())), now);
        log.info("command {} accepted: {}", envelope.get().commandId(), envelope.get().command());
      } else {
        log.info("command {} rejected: {}", envelope.get().commandId(),
            ((CommandOutcome.Rejected) outcome).reason());
      }
      publishResult(envelope.get().commandId(), outcome, now);
      if (outcome instanceof CommandOutcome.Accepted) {
        plan(List.of());
      }
    }
  }

  private Optional<String> outsideRole(AppCommand command) {
    Optional<AppDefinition> app = command instanceof AppCommand.Deploy deploy ? Optional.of(deploy.app())
        : command instanceof AppCommand.Update update ? Optional.of(update.app()) : Optional.empty();
    return app.filter(a -> !a.role().equals(role)).map(a -> "app " + a.id() + " asks for role " + a.role()
        + ", but the apps framework runs every app in its role " + role);
  }

  private void publishResult(String commandId, CommandOutcome outcome, Instant now) {
    try {
      publisher.publish(Topics.COMMAND_RESULTS, commandId, AvroMapping.result(commandId, outcome, FRAMEWORK_ID, now))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while answering command " + commandId, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not answer command " + commandId + " on "
          + bus.topic(Topics.COMMAND_RESULTS) + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Plans with {@code offers} and carries the plan out; call with the lock held. */
  private void plan(List<Offer> offers) {
    Instant now = clock.instant();
    List<OfferView> views = offers.stream().map(AvroMapping::offer).toList();
    Plan plan = planner.plan(new Snapshot(apps, instances, views, now, Long.toString(++plans)));
    Map<String, List<Object>> operations = new LinkedHashMap<>();
    Map<String, List<Decision.Launch>> launches = new LinkedHashMap<>();
    Map<String, Decision.Unplaced> waiting = new HashMap<>();
    for (Decision decision : plan.decisions()) {
      if (decision instanceof Decision.Launch launch) {
        operations.computeIfAbsent(launch.offerId(), id -> new ArrayList<>())
            .addAll(AvroMapping.operations(launch, apps.get(launch.appId()), FRAMEWORK_ID));
        launches.computeIfAbsent(launch.offerId(), id -> new ArrayList<>()).add(launch);
      } else if (decision instanceof Decision.Kill kill) {
        log.info("killing {} on {}: {}", kill.taskId(), kill.agentId(), kill.reason());
        driver.killTask(kill.agentId(), kill.taskId());
      } else if (decision instanceof Decision.Decline decline) {
        driver.decline(decline.offerId(), decline.refuse());
      } else if (decision instanceof Decision.Unplaced wait) {
        waiting.put(wait.appId(), wait);
      }
    }
    Set<Decision.Launch> failed = new HashSet<>();
    operations.forEach((offerId, ops) -> {
      try {
        driver.accept(List.of(offerId), ops);
      } catch (IllegalArgumentException e) {
        log.warn("could not launch {} on offer {}: {}", launches.get(offerId), offerId, e.getMessage());
        failed.addAll(launches.get(offerId));
      }
    });
    recordUnplaced(waiting);
    wantOffers(plan.wantsOffers() || !failed.isEmpty());
    instances = Instances.afterPlan(instances,
        new Plan(plan.decisions().stream().filter(d -> !failed.contains(d)).toList()), now);
    scheduleWakeUp(plan.wakeUpAt());
  }

  private void recordUnplaced(Map<String, Decision.Unplaced> waiting) {
    waiting.forEach((appId, wait) -> {
      Decision.Unplaced before = unplaced.get(appId);
      if (before == null || !before.message().equals(wait.message())) {
        log.info(wait.message());
      }
    });
    unplaced.clear();
    unplaced.putAll(waiting);
  }

  private void wantOffers(boolean wanted) {
    if (wanted && suppressed) {
      driver.revive();
      suppressed = false;
    } else if (!wanted && !suppressed) {
      driver.suppress();
      suppressed = true;
    }
  }

  private void scheduleWakeUp(Optional<Instant> at) {
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
    }
    at.ifPresent(when -> wakeUp = timer.schedule(() -> {
      synchronized (lock) {
        plan(List.of());
      }
    }, Math.max(0, Duration.between(clock.instant(), when).toMillis()), TimeUnit.MILLISECONDS));
  }
}
