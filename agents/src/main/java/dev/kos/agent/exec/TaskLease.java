package dev.kos.agent.exec;

import java.time.Duration;

/**
 * The dead-man's switch between an agent and its tasks. The agent renews a lease file in its work
 * dir (touches its mtime) every {@link #renewInterval()}; each task's wrapper watches that file and
 * kills the whole task when it has not been renewed for longer than {@link #duration()}. So a task
 * dies on its own when its agent process stops (kill -9, SIGSTOP, a crash that is not restarted in
 * time), before the allocator's --agent-timeout lets a framework start a replacement elsewhere:
 * an instance never runs twice. Whole seconds, because the wrapper compares {@code stat -c %Y}
 * with {@code date +%s}; {@link #OFF} (zero) turns it off.
 */
public record TaskLease(Duration duration) {
  public static final TaskLease OFF = new TaskLease(Duration.ZERO);
  /** Below the allocator's default --agent-timeout (20 s), above a typical agent restart. */
  public static final Duration DEFAULT = Duration.ofSeconds(15);
  /** The lease file's name in the agent's work dir. */
  public static final String FILE_NAME = "agent.lease";
  /**
   * Below 2 s a renewal that is a moment late, or the 1 s resolution of the file's mtime, would
   * kill healthy tasks.
   */
  static final Duration MINIMUM = Duration.ofSeconds(2);
  private static final Duration MAX_RENEW_INTERVAL = Duration.ofSeconds(1);

  public TaskLease {
    if (duration == null || duration.isNegative()) {
      throw new IllegalArgumentException("the task lease must be a duration of 0 (off) or more, got " + duration);
    }
    if (!duration.isZero() && duration.compareTo(MINIMUM) < 0) {
      throw new IllegalArgumentException("the task lease must be 0 (off) or at least " + MINIMUM.toSeconds()
          + " s, got " + duration.toMillis() + " ms");
    }
    if (duration.toNanosPart() != 0) {
      throw new IllegalArgumentException("the task lease must be whole seconds (tasks compare file times to the "
          + "second), got " + duration.toMillis() + " ms");
    }
  }

  public boolean enabled() {
    return !duration.isZero();
  }

  public long seconds() {
    return duration.toSeconds();
  }

  /** Often enough that a late renewal or two never lets a live agent's lease lapse. */
  public Duration renewInterval() {
    Duration quarter = duration.dividedBy(4);
    return quarter.compareTo(MAX_RENEW_INTERVAL) < 0 ? quarter : MAX_RENEW_INTERVAL;
  }

  /** For the agent's start-up log. */
  public String describe() {
    return enabled()
        ? duration.toSeconds() + " s (renewed every " + renewInterval().toMillis() + " ms): its tasks kill themselves "
            + "when it stops renewing it for longer"
        : "off: its tasks outlive it for as long as it is gone";
  }
}
