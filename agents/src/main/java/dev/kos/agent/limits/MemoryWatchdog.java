package dev.kos.agent.limits;

import dev.kos.agent.model.TaskUsage;
import java.util.Optional;

/** Decides, from a usage sample, whether a task is over its memory and must be killed, and says why. */
public final class MemoryWatchdog {
  private MemoryWatchdog() {
  }

  /** A limit of 0 MiB means the task asked for no memory: nothing to enforce. */
  public static Optional<String> violation(TaskUsage usage, double memLimitMb) {
    long limitBytes = (long) (memLimitMb * 1024 * 1024);
    if (limitBytes <= 0 || usage.rssBytes() <= limitBytes) {
      return Optional.empty();
    }
    return Optional.of(String.format("killed by the agent's memory watchdog: resident memory %.1f MiB "
        + "exceeded the task's limit of %.1f MiB", usage.rssBytes() / (1024.0 * 1024), memLimitMb));
  }
}
