package dev.kos.allocator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which agents of a shard are lost: silent for longer than the agent timeout. Silence is only the agent's fault
 * if this shard was listening, so two guards keep the allocator from declaring a whole shard lost because it was
 * itself cut off, as Mesos's master will not remove agents faster than they can plausibly fail:
 *
 * <ul>
 *   <li>after a gap in the shard's own rounds longer than {@code stall} (the process frozen, a long GC, a restore,
 *       the stream thread blocked on a broker), every agent counts as heard when the rounds resume: each gets a
 *       whole timeout from then;
 *   <li>if every agent of a shard of at least two is silent at once, it is more likely that the shard stopped
 *       hearing than that they all failed together: none is declared lost, and once any agent record arrives again
 *       every agent counts as heard at that moment.
 * </ul>
 *
 * <p>No clock: every call takes {@code now}. Not thread-safe: the shell owns one per stream task.
 */
public final class AgentLiveness {

  /** What one check found; {@code reason} says why nothing was declared lost when a guard held. */
  public record Verdict(List<String> lost, Guard guard) {
    public Verdict {
      lost = List.copyOf(lost);
      Objects.requireNonNull(guard, "guard");
    }
  }

  /** Which guard, if any, changed this check's outcome. */
  public enum Guard {
    NONE,
    /** The shard's rounds resumed after a gap: every agent was given a grace period. */
    RESUMED,
    /** Every agent of the shard is silent at once: the shard's own isolation is suspected. */
    ISOLATED
  }

  private final Duration timeout;
  private final Duration stall;
  private final Map<String, Instant> lastHeard = new HashMap<>();
  private Instant previousCheck;
  private boolean isolationSuspected;

  /**
   * @param timeout an agent silent for longer than this is lost
   * @param stall a gap between two checks longer than this means the shard itself stood still
   */
  public AgentLiveness(Duration timeout, Duration stall) {
    if (timeout.isNegative() || timeout.isZero() || stall.isNegative() || stall.isZero()) {
      throw new IllegalArgumentException("timeout and stall must be positive, were " + timeout + " and " + stall);
    }
    this.timeout = timeout;
    this.stall = stall;
  }

  /** A record from (or about) the agent arrived. Ends a suspected isolation: everyone counts as heard now. */
  public void heard(String agentId, Instant now) {
    if (isolationSuspected) {
      isolationSuspected = false;
      lastHeard.replaceAll((id, last) -> later(last, now));
    }
    lastHeard.merge(agentId, now, AgentLiveness::later);
  }

  /** The agent left, or was declared lost: it is not watched until it is heard again. */
  public void forget(String agentId) {
    lastHeard.remove(agentId);
  }

  public boolean isWatched(String agentId) {
    return lastHeard.containsKey(agentId);
  }

  /**
   * The agents silent for longer than the timeout by {@code now}, in id order, unless a guard holds. The caller
   * {@link #forget}s the ones it removes. Expects to be called regularly (every round).
   */
  public Verdict check(Instant now) {
    Guard guard = Guard.NONE;
    if (previousCheck != null && Duration.between(previousCheck, now).compareTo(stall) > 0) {
      lastHeard.replaceAll((id, last) -> later(last, now));
      guard = Guard.RESUMED;
    }
    previousCheck = later(previousCheck, now);
    Instant cutoff = now.minus(timeout);
    List<String> silent = new ArrayList<>();
    lastHeard.forEach((id, last) -> {
      if (last.isBefore(cutoff)) {
        silent.add(id);
      }
    });
    if (lastHeard.size() >= 2 && silent.size() == lastHeard.size()) {
      isolationSuspected = true;
      return new Verdict(List.of(), Guard.ISOLATED);
    }
    silent.sort(null);
    return new Verdict(silent, guard);
  }

  public boolean isolationSuspected() {
    return isolationSuspected;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
