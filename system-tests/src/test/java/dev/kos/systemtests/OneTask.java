package dev.kos.systemtests;

import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.Offer;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A framework that launches one task ({@code <framework>-1}, 0.5 cpus, 64 MiB) on its first offer, declines the rest. */
final class OneTask implements Scheduler {

  /** Set once the task is launched; set it beforehand for a framework that only declines. */
  final AtomicBoolean launched = new AtomicBoolean();
  private final List<TaskStatus> statuses = new CopyOnWriteArrayList<>();
  private final String frameworkId;
  private final String shell;

  OneTask(String frameworkId, String shell) {
    this.frameworkId = frameworkId;
    this.shell = shell;
  }

  List<TaskState> states() {
    return statuses.stream().map(TaskStatus::getState).toList();
  }

  @Override
  public void registered(SchedulerDriver driver) {
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      if (launched.compareAndSet(false, true)) {
        driver.launch(offer, List.of(TaskInfo.newBuilder().setTaskId(frameworkId + "-1").setName(frameworkId)
            .setFrameworkId(frameworkId).setCommand(CommandInfo.newBuilder().setShell(shell).build())
            .setResources(Resources.newBuilder().setCpus(0.5).setMem(64).build()).build()));
      } else {
        driver.decline(offer.getOfferId(), Duration.ofSeconds(60));
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    statuses.add(status);
  }
}
