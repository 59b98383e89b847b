package dev.kos.examples.hello;

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
import java.util.concurrent.CountDownLatch;

/**
 * A whole kos framework: runs {@code copies} of a shell command, one per offer that fits, and
 * counts them down as they finish. Register it with {@code new BusSchedulerDriver(bus,
 * FrameworkSettings.of("hello", "*"), framework, Clock.systemUTC()).start()}; see {@link HelloMain}.
 */
public final class HelloFramework implements Scheduler {

  private static final Resources TASK = Resources.of(0.1, 32);

  private final String command;
  private final int copies;
  private final CountDownLatch finished;
  private int launched;

  public HelloFramework(String command, int copies) {
    this.command = command;
    this.copies = copies;
    this.finished = new CountDownLatch(copies);
  }

  public CountDownLatch finished() {
    return finished;
  }

  @Override
  public void registered(SchedulerDriver driver) {
    System.out.println("hello: registered, waiting for offers");
  }

  @Override
  public synchronized void resourceOffers(SchedulerDriver driver, List<OfferView> offers) {
    for (OfferView offer : offers) {
      if (launched < copies && offer.unreserved().containsAll(TASK)) {
        String taskId = "hello-" + launched++;
        driver.launch(offer, List.of(TaskSpec.of(taskId, taskId, offer.frameworkId(), CommandSpec.shell(command),
            TASK)));
      } else {
        driver.decline(offer.offerId(), Duration.ofSeconds(30));
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
    System.out.println("hello: " + status.taskId() + " is " + status.state());
    if (status.state() == TaskState.FINISHED) {
      finished.countDown();
    }
  }
}
