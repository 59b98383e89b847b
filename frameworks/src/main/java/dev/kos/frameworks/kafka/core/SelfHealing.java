package dev.kos.frameworks.kafka.core;

import java.time.Duration;

/**
 * How the planner heals a cluster without an operator.
 *
 * @param agentPatience how long a stopped broker-only node waits for its agent to offer its reservation again
 *     before it is placed anew, on another agent with an empty volume its partitions re-replicate to. Long by
 *     default: an agent that restarts, or a machine that reboots, keeps the broker's data, while a replacement
 *     copies every replica the broker held.
 * @param maxFailures how many times in a row a broker's task may end unasked (crash, failed start, lost agent)
 *     before the broker is no longer relaunched: it stays STOPPED and says so ({@code BROKER_GAVE_UP}), rather than
 *     relaunching every two minutes for ever, until a config change or an upgrade gives it another try
 */
public record SelfHealing(Duration agentPatience, int maxFailures) {

  /** The notice of a broker that failed too often to be relaunched again. */
  public static final String GAVE_UP = "BROKER_GAVE_UP";
  public static final Duration DEFAULT_AGENT_PATIENCE = Duration.ofMinutes(10);
  public static final int DEFAULT_MAX_FAILURES = 5;
  public static final SelfHealing DEFAULTS = new SelfHealing(DEFAULT_AGENT_PATIENCE, DEFAULT_MAX_FAILURES);

  public SelfHealing {
    if (agentPatience == null || agentPatience.isNegative() || agentPatience.isZero()) {
      throw new IllegalArgumentException("the patience with a broker's agent must be a positive duration, was "
          + agentPatience);
    }
    if (maxFailures < 1) {
      throw new IllegalArgumentException("a broker must be allowed at least 1 failure before it is no longer "
          + "relaunched, was " + maxFailures);
    }
  }

  /** With this patience with a lost agent, and the default failures. */
  public SelfHealing withAgentPatience(Duration patience) {
    return new SelfHealing(patience, maxFailures);
  }

  public SelfHealing withMaxFailures(int failures) {
    return new SelfHealing(agentPatience, failures);
  }

  /**
   * Whether a stopped broker has failed too often to be relaunched again: {@link #maxFailures} times in a row since
   * it was last healthy, the last of them under the cluster's current config version (a config change or an
   * upgrade, which may be what it needed, gives it another try).
   */
  public boolean gaveUp(Broker broker, KafkaCluster cluster) {
    return broker.phase() == BrokerPhase.STOPPED && broker.failures() >= maxFailures
        && broker.configVersion() >= cluster.configVersion();
  }

  /** The patience as a person reads it: {@code 10 min}, {@code 90 s}. */
  String patienceInWords() {
    long seconds = agentPatience.toSeconds();
    return seconds > 0 && seconds % 60 == 0 ? seconds / 60 + " min" : agentPatience.toMillis() % 1000 == 0
        ? seconds + " s" : agentPatience.toMillis() + " ms";
  }
}
