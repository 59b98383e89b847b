package dev.kos.bench.placement;

import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lightweight framework on the SDK for the placement benchmark. Commands raise its target (how
 * many tasks it has been asked for in all); on every offer it launches as many of the tasks still
 * wanted as the offer fits. An offer it has no task for it holds, up to {@code holdOffers} of them,
 * as Apache Aurora holds offers: a command then launches on a held offer at once instead of
 * reviving and waiting for the next round's offers. Beyond that it declines the offer and
 * suppresses itself; a command that finds too few held offers revives it. A held offer is given up
 * when the allocator rescinds it, or used only while it has {@link #HOLD_MARGIN} left. A task that
 * ends before RUNNING (an accept on an offer that was rescinded meanwhile is dropped) is launched
 * again on a later offer. Its tasks run until the benchmark ends. It remembers when each task was
 * asked for, so the RUNNING status gives that task's command → RUNNING latency as this framework
 * sees it, retries included.
 */
final class BenchFramework implements Scheduler {
  static final Duration IDLE_REFUSE = Duration.ofSeconds(5);
  /** A held offer this close to its expiry is not used: the allocator may have rescinded it already. */
  static final Duration HOLD_MARGIN = Duration.ofSeconds(2);
  private static final double EPSILON = 1e-9;

  private final String frameworkId;
  private final double taskCpus;
  private final double taskMem;
  private final long[] commandMillis;
  private final LatencyRecorder latencies;
  private final Clock clock;
  /** Distinct tasks RUNNING now. */
  private final AtomicLong running = new AtomicLong();
  private final BitSet runningNow = new BitSet();
  private final BitSet everRunning = new BitSet();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong expired = new AtomicLong();
  private final AtomicLong offersReceived = new AtomicLong();
  private final AtomicLong offersUsed = new AtomicLong();
  private final AtomicLong offersDeclined = new AtomicLong();
  private final AtomicLong offersRescinded = new AtomicLong();
  /** How old each offer was when the driver delivered it: a framework that falls behind sees it late. */
  private final LatencyRecorder offerAges;
  private final AtomicLong lastRunningMillis = new AtomicLong();
  private final Map<String, Long> failures = new ConcurrentHashMap<>();
  private SchedulerDriver driver;
  private final Deque<Integer> retries = new ArrayDeque<>();
  private final int holdOffers;
  private final Map<String, OfferView> held = new LinkedHashMap<>();
  private int target;
  private int launched;
  private boolean suppressed;

  /**
   * @param capacity the most tasks this framework will be asked for
   * @param holdOffers how many offers it keeps while it wants no task (0: it declines every one)
   */
  BenchFramework(String frameworkId, double taskCpus, double taskMem, int capacity, int holdOffers,
      LatencyRecorder latencies, Clock clock) {
    this(frameworkId, taskCpus, taskMem, capacity, holdOffers, latencies, new LatencyRecorder(), clock);
  }

  /** @param offerAges where the age of each offer on arrival (made → delivered) is recorded */
  BenchFramework(String frameworkId, double taskCpus, double taskMem, int capacity, int holdOffers,
      LatencyRecorder latencies, LatencyRecorder offerAges, Clock clock) {
    this.frameworkId = frameworkId;
    this.offerAges = offerAges;
    this.holdOffers = holdOffers;
    this.taskCpus = taskCpus;
    this.taskMem = taskMem;
    this.commandMillis = new long[capacity];
    this.latencies = latencies;
    this.clock = clock;
  }

  String frameworkId() {
    return frameworkId;
  }

  /** Distinct tasks RUNNING now. */
  long running() {
    return running.get();
  }

  /** Launches that ended before RUNNING (dropped by the allocator, refused by an agent), or tasks that ended after it (lost); each was retried. */
  long failed() {
    return failed.get();
  }

  /** Offers that had expired when they arrived, left unanswered. */
  long expiredOffers() {
    return expired.get();
  }

  /** Offers delivered to this framework. */
  long offersReceived() {
    return offersReceived.get();
  }

  /** Offers this framework launched on. */
  long offersUsed() {
    return offersUsed.get();
  }

  /** Offers this framework declined. */
  long offersDeclined() {
    return offersDeclined.get();
  }

  /** Rescinds delivered to this framework. */
  long offersRescinded() {
    return offersRescinded.get();
  }

  /** How many tasks ended before RUNNING, by state and the first words of their message, and rescinds by reason. */
  Map<String, Long> failures() {
    return Map.copyOf(failures);
  }

  long lastRunningMillis() {
    return lastRunningMillis.get();
  }

  /** A command asked for {@code newTarget} tasks in all, at {@code commandAt} (epoch millis). */
  synchronized void raiseTarget(int newTarget, long commandAt) {
    int capped = Math.min(newTarget, commandMillis.length);
    for (int seq = target; seq < capped; seq++) {
      commandMillis[seq] = commandAt;
    }
    target = Math.max(target, capped);
    launchOnHeldOffers();
    reviveIfWanted();
  }

  /** Revives when it wants tasks, or holds fewer offers than it may: either way it wants offers. */
  private void reviveIfWanted() {
    if (suppressed && (wanted() > 0 || held.size() < holdOffers)) {
      suppressed = false;
      driver.revive();
    }
  }

  private void launchOnHeldOffers() {
    Iterator<OfferView> offers = held.values().iterator();
    while (wanted() > 0 && offers.hasNext()) {
      OfferView offer = offers.next();
      offers.remove();
      if (offer.expiresAt().toEpochMilli() - HOLD_MARGIN.toMillis() > clock.millis()) {
        launch(driver, offer, Math.min(wanted(), fits(offer.unreserved())));
      }
    }
  }

  private int wanted() {
    return target - launched + retries.size();
  }

  /** Starts suppressed: offers come only once a command asks for tasks. */
  @Override
  public synchronized void registered(SchedulerDriver schedulerDriver) {
    this.driver = schedulerDriver;
    suppressed = true;
    driver.suppress();
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver schedulerDriver, List<OfferView> offers) {
    for (OfferView offer : offers) {
      offersReceived.incrementAndGet();
      offerAges.record(clock.millis() - offer.createdAt().toEpochMilli());
      if (offer.expiresAt().toEpochMilli() <= clock.millis()) {
        // It arrived too late: the allocator has rescinded it or will, and an accept would be dropped.
        expired.incrementAndGet();
        continue;
      }
      int fits = fits(offer.unreserved());
      if (wanted() > 0 && fits > 0) {
        launch(schedulerDriver, offer, Math.min(wanted(), fits));
      } else if (fits > 0 && held.size() < holdOffers) {
        held.put(offer.offerId(), offer);
      } else {
        offersDeclined.incrementAndGet();
        schedulerDriver.decline(offer.offerId(), IDLE_REFUSE);
        if (wanted() == 0 && !suppressed) {
          suppressed = true;
          schedulerDriver.suppress();
        }
      }
    }
  }

  private void launch(SchedulerDriver schedulerDriver, OfferView offer, int count) {
    List<TaskSpec> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tasks.add(task(retries.isEmpty() ? launched++ : retries.poll()));
    }
    offersUsed.incrementAndGet();
    schedulerDriver.launch(offer, tasks);
  }

  @Override
  public synchronized void offerRescinded(SchedulerDriver schedulerDriver, String offerId, String reason) {
    offersRescinded.incrementAndGet();
    count("rescinded: " + reason);
    held.remove(offerId);
  }

  /**
   * Counts each task once while it runs: a RUNNING repeated (a health change) is not another task, and a task
   * that ends (LOST, say) stops counting until it runs again. Its latency is from its command to its first
   * RUNNING.
   */
  @Override
  public synchronized void statusUpdate(SchedulerDriver schedulerDriver, TaskStatusUpdate status) {
    int seq = sequence(status.taskId());
    if (status.state() == TaskState.RUNNING) {
      if (runningNow.get(seq)) {
        return;
      }
      long now = clock.millis();
      runningNow.set(seq);
      running.incrementAndGet();
      if (!everRunning.get(seq)) {
        everRunning.set(seq);
        latencies.record(now - commandMillis[seq]);
      }
      lastRunningMillis.accumulateAndGet(now, Math::max);
    } else if (status.state() != TaskState.STAGING && status.state() != TaskState.STARTING) {
      if (runningNow.get(seq)) {
        runningNow.clear(seq);
        running.decrementAndGet();
      }
      failed.incrementAndGet();
      count(status.state() + ": " + status.message().orElse(""));
      retries.add(seq);
      launchOnHeldOffers();
      reviveIfWanted();
    }
  }

  /** Counts a failure or rescind by its message, numbers and ids blurred so that alike messages add up. */
  private void count(String message) {
    String blurred = message.replaceAll("[0-9.]+", "#");
    failures.merge(blurred.substring(0, Math.min(120, blurred.length())), 1L, Long::sum);
  }

  int fits(Resources offered) {
    return (int) Math.min(Math.floor(offered.cpus() / taskCpus + EPSILON),
        Math.floor(offered.mem() / taskMem + EPSILON));
  }

  private TaskSpec task(int seq) {
    String taskId = frameworkId + "." + seq;
    return TaskSpec.of(taskId, taskId, frameworkId, CommandSpec.shell("true"), Resources.of(taskCpus, taskMem));
  }

  private static int sequence(String taskId) {
    return Integer.parseInt(taskId.substring(taskId.lastIndexOf('.') + 1));
  }
}
