package dev.kos.bus.framework;

/**
 * Whether a framework wants offers, told to the allocator only when it changes: {@code suppress}
 * when it stops wanting them, {@code revive} when it starts again. A framework starts out wanting
 * offers, as it registers. Not thread-safe: call it under the framework's own lock.
 */
public final class OfferInterest {

  private boolean suppressed;

  public void want(SchedulerDriver driver, boolean wanted) {
    if (wanted && suppressed) {
      driver.revive();
      suppressed = false;
    } else if (!wanted && !suppressed) {
      driver.suppress();
      suppressed = true;
    }
  }
}
