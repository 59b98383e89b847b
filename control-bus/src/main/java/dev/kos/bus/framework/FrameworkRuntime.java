package dev.kos.bus.framework;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.TransactionalPublisher;
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.access.CommandGate;
import dev.kos.bus.client.Answerer;
import dev.kos.bus.catalog.ServiceAcls;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.HandOverException;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.Subscription;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.model.OfferView;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every framework built on the bus needs around its pure core, written once: a {@link BusSchedulerDriver},
 * one lock over the framework, a timer for wake-ups, offers gathered into batches, a consumer of
 * {@code kos.commands} whose answers go out with the state they change, and the framework's state on a compacted
 * topic of its own, written in transactions that a newer instance fences.
 *
 * <p><b>One lock.</b> Driver callbacks, commands, wake-ups and offer batches come on different threads; the
 * runtime calls its {@link Framework} with one lock held, so the framework is written as if single-threaded.
 * A framework that has threads of its own (a watcher, a reader) takes the same lock with {@link #locked}.
 *
 * <p><b>State, then action.</b> The framework keeps its state in memory and tells the runtime what changed
 * ({@link Framework#stateChanges()}). The runtime writes the changes within {@link #STATE_FLUSH} of any callback,
 * and at once when the framework is about to act ({@link #saveNow()} before an accept or a kill) or answers a
 * command: the answer, the changed state and the command's consumed offset are one transaction. A restarted
 * framework therefore knows every task it may have launched, and a command is carried out once: it comes again
 * only if its answer was never committed.
 *
 * <p><b>One instance acts.</b> State writes use the transactional id {@code kos-framework-<framework id>}. A
 * starting instance takes that id over before it reads its state ({@link #takeOver}), so whatever an earlier
 * instance committed is in what it reads and anything that instance tries later fails. An instance that finds
 * itself fenced so, or whose driver sees a newer registration, stops acting for good ({@link #replaced()}): no
 * more callbacks, writes, launches or answers, and the command in hand stays uncommitted for the new instance.
 *
 * <p><b>Authorized commands only.</b> Every command passes the {@link CommandGate} ({@link #authorizing}) before the
 * framework sees it: one the principal may not send is rejected, naming the missing permission, if the framework
 * answers its kind, and never reaches the framework otherwise (the apps framework does not move instances off an
 * agent whose drain was refused).
 *
 * @param <S> the framework's state record, one per key on its state topic
 */
public final class FrameworkRuntime<S extends SpecificRecord> implements AutoCloseable {

  /** How long a change of state may wait to be written, when the framework does not act on it at once. */
  public static final Duration STATE_FLUSH = Duration.ofMillis(100);
  /** How long offers are gathered so one plan sees the agents side by side. */
  public static final Duration OFFER_BATCH = Duration.ofMillis(20);

  /**
   * A framework's decisions, called by the runtime with its lock held, never after the instance was replaced.
   * The framework acts through {@link FrameworkRuntime#driver()}.
   */
  public interface Framework<S> {

    /** The state last committed on the state topic, by key, read once before the framework registers. */
    void restore(Map<String, S> state);

    /** Registered with the allocator: reconcile the tasks believed alive, and plan. */
    void registered(SchedulerDriver driver);

    /** A batch of offers (those rescinded meanwhile left out): accept or decline each. */
    void offers(List<OfferView> offers);

    /** A task of this framework changed state or health. */
    void statusUpdate(TaskStatusUpdate status);

    /**
     * A command from {@code kos.commands}: the answer if the command is this framework's, empty if not (another
     * framework or the allocator answers it). The state changed in deciding is written with the answer.
     */
    Optional<CommandResult> command(Command command, Instant now);

    /** The time asked for with {@link FrameworkRuntime#wakeUpAt} has come. */
    default void wakeUp() {
    }

    /**
     * The state records that differ from what was last committed, by key (null to delete the key). Called before
     * each write; {@link #stateCommitted} follows if the write committed.
     */
    Map<String, S> stateChanges();

    /**
     * Records of other topics that go out in the same transaction as the state (views derived from it, such as
     * where an app is reached): null values delete their keys. Called right after {@link #stateChanges()}, and
     * {@link #stateCommitted} means these are committed too.
     */
    default List<Derived<?>> derivedChanges() {
      return List.of();
    }

    /** The changes {@link #stateChanges()} (and {@link #derivedChanges()}) returned are committed. */
    void stateCommitted(Map<String, S> changes);
  }

  /** A record of another topic written with the state; a null value deletes the key. */
  public record Derived<V extends SpecificRecord>(TopicDef<V> topic, String key, V value) {

    void publishIn(TransactionalPublisher.Transaction transaction) {
      transaction.publish(topic, key, value);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final ControlBus bus;
  private final FrameworkSettings settings;
  private final String commandGroup;
  private final TopicDef<S> stateTopic;
  private final Clock clock;
  private final LoopSupervisor supervisor;
  private final Object lock = new Object();
  private final BusPublisher publisher;
  private final TransactionalPublisher statePublisher;
  private final BusSchedulerDriver driver;
  private final ScheduledExecutorService timer;
  private final OfferInterest offerInterest = new OfferInterest();
  private final Map<String, OfferView> pendingOffers = new LinkedHashMap<>();
  private final List<BusConsumerLoop<?>> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final CompletableFuture<String> replaced = new CompletableFuture<>();
  private Framework<S> framework;
  private CommandGate gate = CommandGate.open(Optional.empty());
  private BusConsumerLoop<Command> commands;
  private ScheduledFuture<?> wakeUp;
  private ScheduledFuture<?> offerBatch;
  private ScheduledFuture<?> stateFlush;

  /**
   * @param commandGroup the consumer group of the framework's command loop (one per framework, not per instance)
   * @param stateTopic the compacted topic the framework keeps its state on, one record per key
   * @param supervisor hears of a consumer loop's death ({@link LoopSupervisor#forProcess()} ends the process)
   */
  public FrameworkRuntime(ControlBus bus, FrameworkSettings settings, String commandGroup, TopicDef<S> stateTopic,
      Clock clock, LoopSupervisor supervisor) {
    this.bus = bus;
    this.settings = settings;
    this.commandGroup = commandGroup;
    this.stateTopic = stateTopic;
    this.clock = clock;
    this.supervisor = supervisor;
    String client = "framework-" + settings.frameworkId();
    this.publisher = new BusPublisher(bus, client + "-events");
    this.statePublisher = new TransactionalPublisher(bus, client + "-state",
        ServiceAcls.FRAMEWORK_TRANSACTIONAL_ID_PREFIX + settings.frameworkId());
    this.driver = new BusSchedulerDriver(bus, settings, new LockedScheduler(), clock);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, client + "-timer");
      thread.setDaemon(true);
      return thread;
    });
  }

  public FrameworkRuntime(ControlBus bus, FrameworkSettings settings, String commandGroup, TopicDef<S> stateTopic,
      Clock clock) {
    this(bus, settings, commandGroup, stateTopic, clock, LoopSupervisor.forProcess());
  }

  /**
   * Checks each command's principal against {@code policy} before the framework sees it; call before
   * {@link #register}. Without it every command reaches the framework (as with {@link AccessPolicy#OPEN}).
   *
   * @param answerer who answers the framework's own kinds of command, so a denied one is answered by it
   */
  public FrameworkRuntime<S> authorizing(AccessPolicy policy, Answerer answerer) {
    this.gate = new CommandGate(policy, Optional.of(answerer));
    return this;
  }

  /** Takes the state over ({@link #takeOver}), registers and starts taking commands ({@link #register}). */
  public FrameworkRuntime<S> start(Framework<S> framework) {
    return takeOver(framework).register();
  }

  /**
   * The first half of {@link #start}: fences any earlier instance's writes, then reads the state topic to its end
   * and hands it to {@code framework}.
   */
  public FrameworkRuntime<S> takeOver(Framework<S> framework) {
    this.framework = framework;
    statePublisher.fenceEarlierInstances();
    Map<String, S> state = CompactedTopics.readToEnd(bus, stateTopic);
    synchronized (lock) {
      framework.restore(state);
    }
    return this;
  }

  /** The second half of {@link #start}: registers with the allocator (and so plans) and takes commands. */
  public FrameworkRuntime<S> register() {
    driver.start();
    commands = new BusConsumerLoop<>(bus, commandGroup, "framework-" + settings.frameworkId() + "-commands",
        Subscription.topics(List.of(bus.topic(Topics.COMMANDS))),
        (topic, value) -> bus.serde(Topics.COMMANDS).deserialize(topic, value), this::onCommand, deadLetters());
    supervise("commands", commands);
    return this;
  }

  /**
   * Runs another consumer loop of the framework's (a reader of cluster topics, say) under the runtime's supervisor,
   * closed with the runtime. Its handler takes the lock with {@link #locked} to touch the framework.
   */
  public void supervise(String name, BusConsumerLoop<?> loop) {
    synchronized (threads) {
      loops.add(loop);
      threads.add(supervisor.start("framework-" + settings.frameworkId() + "-" + name, loop));
    }
  }

  /** Dead letters of the framework's consumer loops, under its command group's name. */
  public DeadLetterPublisher deadLetters() {
    return new DeadLetterPublisher(bus, publisher, commandGroup, clock::instant);
  }

  /** The driver: accept, decline, kill, reconcile. Use it with the lock held (in a callback, or {@link #locked}). */
  public SchedulerDriver driver() {
    return driver;
  }

  /** The non-transactional publisher, for what users watch ({@code kos.status}, metrics): not state. */
  public BusPublisher publisher() {
    return publisher;
  }

  /** Publishes an event users watch, without waiting; a failure is logged, the event is lost. */
  public <V extends SpecificRecord> void publishEvent(TopicDef<V> topic, String key, V value) {
    publisher.publishAsync(topic, key, value, error -> log.warn("could not publish to {} (key {}): {}",
        bus.topic(topic), key, error.getMessage()));
  }

  /**
   * Completes, with the reason, once another instance of the framework took over: this one has stopped launching,
   * killing, answering and writing. A process running the framework should end then (with a failure status).
   */
  public CompletableFuture<String> replaced() {
    return replaced;
  }

  /** Runs {@code action} with the framework's lock held, unless the instance was replaced. */
  public void locked(Runnable action) {
    synchronized (lock) {
      if (!replaced.isDone()) {
        action.run();
        scheduleFlush();
      }
    }
  }

  /** Reads the framework's state with its lock held (for getters called from other threads). */
  public <T> T read(Supplier<T> reader) {
    synchronized (lock) {
      return reader.get();
    }
  }

  /** Tells the allocator whether the framework wants offers, when that changes. Call with the lock held. */
  public void wantOffers(boolean wanted) {
    offerInterest.want(driver, wanted);
  }

  /** Calls {@link Framework#wakeUp} at {@code at} (replacing an earlier wish), or never. Call with the lock held. */
  public void wakeUpAt(Optional<Instant> at) {
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
    }
    at.ifPresent(when -> wakeUp = timer.schedule(() -> locked(() -> framework.wakeUp()),
        Math.max(0, Duration.between(clock.instant(), when).toMillis()), TimeUnit.MILLISECONDS));
  }

  /**
   * Writes the changed state and waits until the bus has it; call before acting on it (an accept, a kill), with
   * the lock held.
   *
   * @return false if this instance was replaced: it must not act
   * @throws IllegalStateException if the write failed otherwise; it is tried again within {@link #STATE_FLUSH}
   */
  public boolean saveNow() {
    return save(Optional.empty());
  }

  /** True once this instance was replaced (see {@link #replaced()}). */
  public boolean isReplaced() {
    return replaced.isDone();
  }

  private boolean save(Optional<Answer> answer) {
    if (stateFlush != null) {
      stateFlush.cancel(false);
      stateFlush = null;
    }
    if (replaced.isDone()) {
      return false; // the state topic belongs to the instance that took over
    }
    Map<String, S> changes = framework.stateChanges();
    List<Derived<?>> derived = framework.derivedChanges();
    if (changes.isEmpty() && derived.isEmpty() && answer.isEmpty()) {
      return true;
    }
    try {
      statePublisher.inTransaction(transaction -> {
        changes.forEach((key, state) -> transaction.publish(stateTopic, key, state));
        derived.forEach(record -> record.publishIn(transaction));
        answer.ifPresent(a -> {
          transaction.publish(Topics.COMMAND_RESULTS, a.result().getCommandId(), a.result());
          transaction.consumed(a.command().topic(), a.command().partition(), a.command().offset(), a.group());
        });
      });
    } catch (TransactionalPublisher.FencedException e) {
      stopActing("another instance took over " + bus.topic(stateTopic) + " (" + e.getMessage() + ")");
      return false;
    } catch (IllegalStateException e) {
      log.error("could not save framework {}'s state on {}: {}", settings.frameworkId(), bus.topic(stateTopic),
          e.getMessage());
      scheduleFlush();
      throw e;
    }
    framework.stateCommitted(changes);
    return true;
  }

  private record Answer(CommandResult result, BusRecord<Command> command, ConsumerGroupMetadata group) {
  }

  private void onCommand(BusRecord<Command> record) {
    if (record.value() == null) {
      return;
    }
    synchronized (lock) {
      handOverIfReplaced();
      Optional<CommandResult> result = authorized(record.value());
      if (result.isPresent()) {
        // The answer goes out with the state that records it and the command's offset, or not at all.
        if (save(Optional.of(new Answer(result.get(), record, commands.groupMetadata())))) {
          ProcessMetrics.commandAnswered(settings.frameworkId(), result.get().getStatus().toString());
        }
      } else {
        scheduleFlush();
      }
      handOverIfReplaced();
    }
  }

  /** The framework's answer to a command it may carry out; the rejection of one it answers and may not. */
  private Optional<CommandResult> authorized(Command command) {
    Instant now = clock.instant();
    Optional<String> denied = gate.denies(command);
    if (denied.isEmpty()) {
      return framework.command(command, now);
    }
    if (!gate.answers(command)) {
      log.debug("command {} is not authorized and not framework {}'s to answer: ignored ({})",
          command.getCommandId(), settings.frameworkId(), denied.get());
      return Optional.empty();
    }
    log.info("command {} rejected: {}", command.getCommandId(), denied.get());
    return Optional.of(CommandGate.rejection(command, denied.get(), settings.frameworkId(), now));
  }

  /** Leaves the command in hand to the instance that took over, uncommitted. Call with the lock held. */
  private void handOverIfReplaced() {
    if (replaced.isDone()) {
      throw new HandOverException("framework " + settings.frameworkId() + " was replaced: " + replaced.getNow(""));
    }
  }

  /** Stops launching, killing, answering and writing, for good: another instance is in charge. */
  private void stopActing(String reason) {
    synchronized (lock) {
      if (replaced.isDone()) {
        return;
      }
      replaced.complete(reason);
      List.of(Optional.ofNullable(stateFlush), Optional.ofNullable(wakeUp), Optional.ofNullable(offerBatch))
          .forEach(task -> task.ifPresent(t -> t.cancel(false)));
    }
    log.error("framework {} stops acting: {}", settings.frameworkId(), reason);
    if (commands != null) {
      commands.close();
    }
  }

  /** Writes the state within {@link #STATE_FLUSH}, unless a write is already due. Call with the lock held. */
  private void scheduleFlush() {
    if (stateFlush == null && !replaced.isDone() && framework != null) {
      stateFlush = timer.schedule(() -> {
        synchronized (lock) {
          try {
            save(Optional.empty());
          } catch (IllegalStateException e) {
            // logged, and rescheduled, by save
          }
        }
      }, STATE_FLUSH.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void planPendingOffers() {
    synchronized (lock) {
      offerBatch = null;
      List<OfferView> offers = List.copyOf(pendingOffers.values());
      pendingOffers.clear();
      if (!replaced.isDone()) {
        framework.offers(offers);
        scheduleFlush();
      }
    }
  }

  /** Stops taking commands, writes what is left of the state, and closes the driver; tasks run on. */
  @Override
  public void close() throws InterruptedException {
    List<BusConsumerLoop<?>> toClose;
    List<Thread> toJoin;
    synchronized (threads) {
      toClose = List.copyOf(loops);
      toJoin = List.copyOf(threads);
    }
    toClose.forEach(BusConsumerLoop::close);
    for (Thread thread : toJoin) {
      thread.join(Duration.ofSeconds(10).toMillis());
    }
    synchronized (lock) {
      try {
        if (framework != null) {
          save(Optional.empty());
        }
      } catch (IllegalStateException e) {
        log.warn("closing with state not saved: {}", e.getMessage());
      }
    }
    driver.close();
    timer.shutdownNow();
    publisher.close();
    statePublisher.close();
  }

  /** The driver's callbacks, taken to the framework with the lock held; nothing reaches a replaced instance. */
  private final class LockedScheduler implements Scheduler {

    @Override
    public void registered(SchedulerDriver driver) {
      locked(() -> framework.registered(driver));
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<OfferView> offers) {
      synchronized (lock) {
        offers.forEach(offer -> pendingOffers.put(offer.offerId(), offer));
        if (offerBatch == null && !replaced.isDone()) {
          offerBatch = timer.schedule(FrameworkRuntime.this::planPendingOffers, OFFER_BATCH.toMillis(),
              TimeUnit.MILLISECONDS);
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
      locked(() -> framework.statusUpdate(status));
    }

    @Override
    public void error(SchedulerDriver driver, String message) {
      log.error("framework {}: {}", settings.frameworkId(), message);
    }

    @Override
    public void fenced(SchedulerDriver driver, String reason) {
      stopActing(reason);
    }
  }
}
