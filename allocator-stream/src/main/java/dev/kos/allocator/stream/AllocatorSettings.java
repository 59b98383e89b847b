package dev.kos.allocator.stream;

import dev.kos.allocator.scaling.ScalingSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The allocator shell's timing.
 *
 * @param roundInterval    wall-clock interval of allocation rounds and offer expiry
 * @param agentTimeout     an agent silent this long is lost: its offers rescinded, its tasks LOST
 * @param offerTimeout     an offer not answered this long is rescinded
 * @param scaling          the autoscaler's interval, freshness and cluster watermarks
 */
public record AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout,
    ScalingSettings scaling) {

  public static final Duration DEFAULT_ROUND_INTERVAL = Duration.ofMillis(50);
  public static final Duration DEFAULT_AGENT_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_OFFER_TIMEOUT = Duration.ofSeconds(30);

  public AllocatorSettings {
    requirePositive(roundInterval, "round interval");
    requirePositive(agentTimeout, "agent timeout");
    requirePositive(offerTimeout, "offer timeout");
    Objects.requireNonNull(scaling, "scaling");
  }

  /** The allocator's own timing with the autoscaler's defaults. */
  public AllocatorSettings(Duration roundInterval, Duration agentTimeout, Duration offerTimeout) {
    this(roundInterval, agentTimeout, offerTimeout, ScalingSettings.defaults());
  }

  public static AllocatorSettings defaults() {
    return new AllocatorSettings(DEFAULT_ROUND_INTERVAL, DEFAULT_AGENT_TIMEOUT, DEFAULT_OFFER_TIMEOUT);
  }

  public AllocatorSettings withScaling(ScalingSettings newScaling) {
    return new AllocatorSettings(roundInterval, agentTimeout, offerTimeout, newScaling);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
