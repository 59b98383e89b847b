package dev.kos.local.forked;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Stopping a forked node: SIGTERM lets it shut down cleanly; one that does not within its grace is killed. */
public final class ChildStop {

  private ChildStop() {}

  /**
   * Sends SIGTERM and waits up to {@code grace}, then kills.
   *
   * @return whether it had to be killed
   */
  public static boolean terminate(Process process, Duration grace) {
    process.destroy();
    return awaitOrKill(process, grace);
  }

  /**
   * Waits up to {@code grace} for a child already told to stop, then kills it (as well on interruption, which
   * this keeps).
   *
   * @return whether it had to be killed
   */
  public static boolean awaitOrKill(Process process, Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        return true;
      }
      return false;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return true;
    }
  }
}
