package dev.kos.bus.framework;

import dev.kos.model.OfferView;
import dev.kos.model.TaskStatusUpdate;
import java.util.List;

/**
 * A framework's scheduler: the second level of two-level scheduling. The driver calls these methods from its
 * loop thread, in the order the bus delivers the records; but {@link #registered} comes on the thread that
 * starts the driver, and the statuses {@link SchedulerDriver#reconcile} finds come on the thread that asks for
 * them, which may run beside the loop. A scheduler that reconciles from elsewhere than its callbacks, or keeps
 * timers of its own, guards its state (the built-in frameworks take one lock).
 */
public interface Scheduler {

  /** The framework's registration is on the bus; offers follow. */
  void registered(SchedulerDriver driver);

  /** New offers: accept (launch on them) or decline each. An offer not answered expires. */
  void resourceOffers(SchedulerDriver driver, List<OfferView> offers);

  /** The allocator withdrew an offer (expired, agent lost); it can no longer be accepted. */
  void offerRescinded(SchedulerDriver driver, String offerId, String reason);

  /** A task of this framework changed state or health. */
  void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status);

  /** Something the framework should know went wrong (for example a rejected accept). */
  default void error(SchedulerDriver driver, String message) {
  }

  /**
   * Another instance of this framework registered with a newer epoch and took over: the driver no longer
   * launches, kills or answers anything, and the scheduler must stop acting too (and end its process's run).
   * By default it is reported as an {@link #error}.
   */
  default void fenced(SchedulerDriver driver, String reason) {
    error(driver, reason);
  }
}
