package dev.kos.agent.fetch.core;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a failed download is tried again, and when. A transient failure (the server answered 5xx, 408 or 429; the
 * connection was refused, reset or timed out; the bytes stopped coming) is retried after a backoff that doubles
 * from {@code firstBackoff} up to {@code maxBackoff}, at most {@code attempts} attempts in all and never past
 * {@code budget} from the first attempt's start; anything else (a 404, a wrong digest, too big) fails at once, since
 * asking again gets the same answer. Pure: the caller passes the instants its clock reads.
 *
 * @param attempts attempts in all, the first included; 1 never retries
 */
public record RetryPolicy(int attempts, Duration firstBackoff, Duration maxBackoff, Duration budget) {

  /** Four attempts over about 7 s of backoff, within two minutes. */
  public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(8),
      Duration.ofMinutes(2));

  public RetryPolicy {
    if (attempts < 1) {
      throw new IllegalArgumentException("a download needs at least 1 attempt, got " + attempts);
    }
    if (firstBackoff == null || firstBackoff.isNegative() || maxBackoff == null || maxBackoff.compareTo(firstBackoff) < 0
        || budget == null || budget.isNegative()) {
      throw new IllegalArgumentException("backoff " + firstBackoff + " up to " + maxBackoff + " within " + budget
          + " is no retry policy: the first backoff must be at least 0, the longest at least the first");
    }
  }

  /** What to do after an attempt failed. */
  public sealed interface Decision {
    /** Try again once {@code after} has passed. */
    record Retry(Duration after) implements Decision {
    }

    /** Fail the download; {@code why} says why it is not tried again, for the task's status. */
    record GiveUp(String why) implements Decision {
    }
  }

  /** Whether an HTTP status is worth asking again for: the server's trouble, not the request's. */
  public static boolean transientStatus(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  /**
   * @param attemptsMade attempts made so far, the failed one included (1 after the first)
   * @param transientFailure whether the failure may pass by itself
   * @param firstStart when the first attempt started
   * @param now the clock's time now
   */
  public Decision after(int attemptsMade, boolean transientFailure, Instant firstStart, Instant now) {
    if (!transientFailure) {
      return new Decision.GiveUp("");
    }
    if (attemptsMade >= attempts) {
      return new Decision.GiveUp(attempts == 1 ? "" : " (gave up after " + attemptsMade + " attempts)");
    }
    Duration backoff = backoff(attemptsMade);
    if (now.plus(backoff).isAfter(firstStart.plus(budget))) {
      return new Decision.GiveUp(" (gave up after " + attemptsMade + " attempt" + (attemptsMade == 1 ? "" : "s")
          + ": another would start more than " + budget.toSeconds() + " s after the first)");
    }
    return new Decision.Retry(backoff);
  }

  private Duration backoff(int attemptsMade) {
    Duration backoff = firstBackoff;
    for (int i = 1; i < attemptsMade && backoff.compareTo(maxBackoff) < 0; i++) {
      backoff = backoff.multipliedBy(2);
    }
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
