package dev.kos.systemtests;

import dev.kos.bus.framework.Scheduler;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.Resources;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Another framework ({@code web}) that fills the cluster with 1-cpu tasks running {@code cmd}, then declines: it
 * holds the cluster above a role's utilization threshold until its tasks end.
 */
public final class Occupier implements Scheduler {
  private final List<String> pending = new ArrayList<>();
  private final List<TaskStatusUpdate> statuses = new CopyOnWriteArrayList<>();
  private final String cmd;

  public Occupier(int tasks, String cmd) {
    for (int i = 1; i <= tasks; i++) {
      pending.add("hold-" + i);
    }
    this.cmd = cmd;
  }

  /** Its tasks that have been RUNNING. */
  public long running() {
    return statuses.stream().filter(s -> s.state() == TaskState.RUNNING).map(TaskStatusUpdate::taskId).distinct()
        .count();
  }

  @Override
  public void registered(SchedulerDriver driver) {
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<OfferView> offers) {
    for (OfferView offer : offers) {
      List<TaskSpec> tasks = new ArrayList<>();
      double cpus = offer.unreserved().cpus();
      while (cpus >= 1 && !pending.isEmpty()) {
        String taskId = pending.remove(0);
        tasks.add(TaskSpec.of(taskId, taskId, "web", CommandSpec.shell(cmd), Resources.of(1, 64)));
        cpus -= 1;
      }
      if (tasks.isEmpty()) {
        driver.decline(offer.offerId(), Duration.ofMinutes(1));
      } else {
        driver.launch(offer, tasks);
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    statuses.add(status);
  }
}
