package dev.kos.agent.fetch;

import dev.kos.agent.fetch.core.RetryPolicy;
import java.time.Duration;

/**
 * How an agent's {@link ArtifactFetcher} fetches (the {@code kos agent --artifact-*} flags).
 *
 * @param cacheBytes the most the artifact cache keeps, and so the biggest artifact the agent takes
 * @param unpackedBytes the most one archive may unpack to (an archive of zeros weighs little)
 * @param stallTimeout how long a download may go without a byte once the server's answer began, before it is
 *     dropped as stalled (and retried as a transient failure)
 * @param retry when a failed download is tried again
 */
public record FetchSettings(long cacheBytes, long unpackedBytes, Duration stallTimeout, RetryPolicy retry) {

  private static final Duration MIN_STALL = Duration.ofMillis(100);
  /** 2 GiB of cache, 4 GiB unpacked, 30 s without a byte, {@link RetryPolicy#DEFAULT}. */
  public static final FetchSettings DEFAULTS = new FetchSettings(2L << 30, 4L << 30, Duration.ofSeconds(30),
      RetryPolicy.DEFAULT);

  public FetchSettings {
    if (cacheBytes < 1 || unpackedBytes < 1) {
      throw new IllegalArgumentException("the artifact cache and the unpack limit must be at least 1 byte, got "
          + cacheBytes + " and " + unpackedBytes + " bytes");
    }
    if (stallTimeout == null || stallTimeout.compareTo(MIN_STALL) < 0) {
      throw new IllegalArgumentException("the stall timeout of a download must be at least " + MIN_STALL.toMillis()
          + " ms, got " + stallTimeout);
    }
    if (retry == null) {
      throw new IllegalArgumentException("fetch settings need a retry policy");
    }
  }

  public FetchSettings withStallTimeout(Duration timeout) {
    return new FetchSettings(cacheBytes, unpackedBytes, timeout, retry);
  }

  public FetchSettings withRetry(RetryPolicy policy) {
    return new FetchSettings(cacheBytes, unpackedBytes, stallTimeout, policy);
  }

  /** As many attempts as {@code attempts}, the default backoff otherwise. */
  public FetchSettings withAttempts(int attempts) {
    return withRetry(new RetryPolicy(attempts, retry.firstBackoff(), retry.maxBackoff(), retry.budget()));
  }
}
