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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A framework that launches one task ({@code <framework>-1}, 0.5 cpus, 64 MiB) on its first offer, declines the rest. */
final class OneTask implements Scheduler {

  /** Set once the task is launched; set it beforehand for a framework that only declines. */
  final AtomicBoolean launched = new AtomicBoolean();
  private final List<TaskStatusUpdate> statuses = new CopyOnWriteArrayList<>();
  private final String frameworkId;
  private final String shell;

  OneTask(String frameworkId, String shell) {
    this.frameworkId = frameworkId;
    this.shell = shell;
  }

  List<TaskState> states() {
    return statuses.stream().map(TaskStatusUpdate::state).toList();
  }

  @Override
  public void registered(SchedulerDriver driver) {
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<OfferView> offers) {
    for (OfferView offer : offers) {
      if (launched.compareAndSet(false, true)) {
        driver.launch(offer, List.of(TaskSpec.of(frameworkId + "-1", frameworkId, frameworkId,
            CommandSpec.shell(shell), Resources.of(0.5, 64))));
      } else {
        driver.decline(offer.offerId(), Duration.ofSeconds(60));
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
