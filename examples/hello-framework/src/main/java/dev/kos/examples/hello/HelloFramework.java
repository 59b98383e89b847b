package dev.kos.examples.hello;

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
import java.util.concurrent.CountDownLatch;

/**
 * A whole kos framework: runs {@code copies} of a shell command, one per offer that fits, and
 * counts them down as they finish. Register it with {@code new BusSchedulerDriver(bus,
 * FrameworkSettings.of("hello", "*"), framework, Clock.systemUTC()).start()}; see {@link HelloMain}.
 */
public final class HelloFramework implements Scheduler {

  private static final double CPUS = 0.1;
  private static final double MEM = 32;

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
  public synchronized void resourceOffers(SchedulerDriver driver, List<Offer> offers) {
    for (Offer offer : offers) {
      Resources free = offer.getResources();
      if (launched < copies && free.getCpus() >= CPUS && free.getMem() >= MEM) {
        String taskId = "hello-" + launched++;
        driver.launch(offer, List.of(TaskInfo.newBuilder().setTaskId(taskId).setName(taskId)
            .setFrameworkId(offer.getFrameworkId())
            .setCommand(CommandInfo.newBuilder().setShell(command).build())
            .setResources(Resources.newBuilder().setCpus(CPUS).setMem(MEM).build()).build()));
      } else {
        driver.decline(offer.getOfferId(), Duration.ofSeconds(30));
      }
    }
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, TaskStatus status) {
    System.out.println("hello: " + status.getTaskId() + " is " + status.getState());
    if (status.getState() == TaskState.FINISHED) {
      finished.countDown();
    }
  }
}
