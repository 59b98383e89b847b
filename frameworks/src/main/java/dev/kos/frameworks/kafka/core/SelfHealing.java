package dev.kos.frameworks.kafka.core;

import java.time.Duration;

/**
 * How the planner heals a cluster without an operator.
 *
 * @param agentPatience how long a stopped broker-only node waits for its agent to offer its reservation again
 *     before it is placed anew, on another agent with an empty volume its partitions re-replicate to. Long by
 *     default: an agent that restarts, or a machine that reboots, keeps the broker's data, while a replacement
 *     copies every replica the broker held.
 */
public record SelfHealing(Duration agentPatience) {

  public static final Duration DEFAULT_AGENT_PATIENCE = Duration.ofMinutes(10);
  public static final SelfHealing DEFAULTS = new SelfHealing(DEFAULT_AGENT_PATIENCE);

  public SelfHealing {
    if (agentPatience == null || agentPatience.isNegative() || agentPatience.isZero()) {
      throw new IllegalArgumentException("the patience with a broker's agent must be a positive duration, was "
          + agentPatience);
    }
  }

  /** The patience as a person reads it: {@code 10 min}, {@code 90 s}. */
  String patienceInWords() {
    long seconds = agentPatience.toSeconds();
    return seconds > 0 && seconds % 60 == 0 ? seconds / 60 + " min" : agentPatience.toMillis() % 1000 == 0
        ? seconds + " s" : agentPatience.toMillis() + " ms";
  }
}
