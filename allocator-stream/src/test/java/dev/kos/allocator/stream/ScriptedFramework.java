package dev.kos.allocator.stream;

import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.Offer;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
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
  public final List<Offer> offers = new CopyOnWriteArrayList<>();
  public final List<TaskStatus> dropped = new CopyOnWriteArrayList<>();
  volatile int declines;

  public ScriptedFramework(String frameworkId, int tasks) {
    this.frameworkId = frameworkId;
    IntStream.rangeClosed(1, tasks).forEach(i -> pending.add(frameworkId + "-t" + i));
  }

  @Override
  public void registered(SchedulerDriver driver) {
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<Offer> newOffers) {
    for (Offer offer : newOffers) {
      offers.add(offer);
      if (pending.isEmpty() || offers.size() % 3 == 0) {
        declines++;
        driver.decline(offer.getOfferId(), Duration.ofMillis(500));
        continue;
      }
      int fit = (int) Math.min(offer.getResources().getCpus() / TASK_CPUS, offer.getResources().getMem() / TASK_MEM);
      List<TaskInfo> tasks = new ArrayList<>();
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
  public synchronized void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    if (status.getState() == TaskState.DROPPED) {
      dropped.add(status);
      pending.addFirst(status.getTaskId());
    }
  }

  private TaskInfo task(String taskId) {
    return TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setFrameworkId(frameworkId)
        .setCommand(CommandInfo.newBuilder().setShell("sleep 600").build())
        .setResources(Resources.newBuilder().setCpus(TASK_CPUS).setMem(TASK_MEM).build()).build();
  }
}
