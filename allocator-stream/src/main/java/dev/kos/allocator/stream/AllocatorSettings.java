package dev.kos.allocator.stream;

import dev.kos.allocator.scaling.ScalingSettings;
import dev.kos.bus.access.AccessPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * The allocator shell's timing.
 *
 * @param roundInterval    wall-clock interval of allocation rounds and offer expiry
 * @param agentTimeout     an agent silent this long is lost: its offers rescinded, its tasks LOST
 * @param offerTimeout     an offer not answered this long is rescinded
 * @param stagingTimeout   a launched task with no status at all from its agent this long after the launch is
 *     reported LOST and its resources freed (the agent did not take it); a kill of a task that was declared lost
 *     (decision 0011) that the agent does not confirm this long is given up the same way
 * @param scaling          the autoscaler's interval, freshness and cluster watermarks
 * @param access           who may drain and undrain agents (docs/security.md); {@link AccessPolicy#OPEN}: anyone
 */
public record AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout,
    Duration stagingTimeout, ScalingSettings scaling, AccessPolicy access) {

  public static final Duration DEFAULT_ROUND_INTERVAL = Duration.ofMillis(50);
  public static final Duration DEFAULT_AGENT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(30);
  /**
   * An agent answers a launch with STARTING within milliseconds of reading it (it fetches nothing first), so the
   * bound is not about the task but about the bus: it must outlast a bus outage of a minute or more, during which
   * the agent buffers its statuses, plus the agent timeout, so that a dead agent is handled as lost first.
   */
  public static final Duration DEFAULT_STAGING_TIMEOUT = Duration.ofMinutes(2);

  public AllocatorSettings {
    requirePositive(roundInterval, "round interval");
    requirePositive(agentTimeout, "agent timeout");
    requirePositive(offerTimeout, "offer timeout");
    requirePositive(stagingTimeout, "staging timeout");
    Objects.requireNonNull(scaling, "scaling");
    Objects.requireNonNull(access, "access");
  }

  public AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout,
      Duration stagingTimeout, ScalingSettings scaling) {
    this(roundInterval, agentTimeout, offerTimeout, stagingTimeout, scaling, AccessPolicy.OPEN);
  }

  /** The allocator's own timing with the default staging timeout and the autoscaler's defaults. */
  public AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout) {
    this(roundInterval, agentTimeout, offerTimeout, DEFAULT_STAGING_TIMEOUT, ScalingSettings.defaults());
  }

  public AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout,
      ScalingSettings scaling) {
    this(roundInterval, agentTimeout, offerTimeout, DEFAULT_STAGING_TIMEOUT, scaling);
  }

  public static AllocatorSettings defaults() {
    return new AllocatorSettings(DEFAULT_ROUND_INTERVAL, DEFAULT_AGENT_TIMEOUT, DEFAULT_OFFER_TIMEOUT);
  }

  public AllocatorSettings withScaling(ScalingSettings newScaling) {
    return new AllocatorSettings(roundInterval, agentTimeout, offerTimeout, stagingTimeout, newScaling, access);
  }

  public AllocatorSettings withStagingTimeout(Duration newStagingTimeout) {
    return new AllocatorSettings(roundInterval, agentTimeout, offerTimeout, newStagingTimeout, scaling, access);
  }

  public AllocatorSettings withAccess(AccessPolicy newAccess) {
    return new AllocatorSettings(roundInterval, agentTimeout, offerTimeout, stagingTimeout, scaling, newAccess);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
