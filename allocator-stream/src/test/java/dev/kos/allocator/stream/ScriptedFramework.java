package dev.kos.allocator.stream;

import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * A framework that launches a fixed set of 1-cpu tasks on whatever it is offered, declines
 * every third offer for a moment, and relaunches a task the allocator dropped.
 */
public final class ScriptedFramework implements Scheduler {

  static final double TASK_CPUS = 1;
  static final double TASK_MEM = 256;

  private final String frameworkId;
  private final Deque<String> pending = new ArrayDeque<>();
  public final List<OfferView> offers = new CopyOnWriteArrayList<>();
  public final List<TaskStatusUpdate> dropped = new CopyOnWriteArrayList<>();
  volatile int declines;

  public ScriptedFramework(String frameworkId, int tasks) {
    this.frameworkId = frameworkId;
    IntStream.rangeClosed(1, tasks).forEach(i -> pending.add(frameworkId + "-t" + i));
  }

  @Override
  public void registered(SchedulerDriver driver) {
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<OfferView> newOffers) {
    for (OfferView offer : newOffers) {
      offers.add(offer);
      if (pending.isEmpty() || offers.size() % 3 == 0) {
        declines++;
        driver.decline(offer.offerId(), Duration.ofMillis(500));
        continue;
      }
      int fit = (int) Math.min(offer.unreserved().cpus() / TASK_CPUS, offer.unreserved().mem() / TASK_MEM);
      List<TaskSpec> tasks = new ArrayList<>();
      while (tasks.size() < fit && !pending.isEmpty()) {
        tasks.add(task(pending.poll()));
      }
      driver.launch(offer, tasks);
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
  }

  @Override
  public synchronized void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    if (status.state() == TaskState.DROPPED) {
      dropped.add(status);
      pending.addFirst(status.taskId());
    }
  }

  private TaskSpec task(String taskId) {
    return TaskSpec.of(taskId, taskId, frameworkId, CommandSpec.shell("sleep 600"), Resources.of(TASK_CPUS, TASK_MEM));
  }
}
