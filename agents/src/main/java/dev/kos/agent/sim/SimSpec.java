package dev.kos.agent.sim;

import dev.kos.agent.model.ResourceSet;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A simulated fleet: {@code agents} agents named {@code <idPrefix>-0 .. <idPrefix>-(agents-1)},
 * each offering {@code resources} with {@code attributes}, heartbeating every
 * {@code heartbeatInterval}. Tasks run for a duration drawn from {@code taskDurations} and fail
 * with probability {@code failureRate}; {@code seed} makes a run repeatable.
 */
public record SimSpec(
    int agents,
    String idPrefix,
    ResourceSet resources,
    Map<String, String> attributes,
    TaskDurations taskDurations,
    double failureRate,
    Duration heartbeatInterval,
    long seed) {

  public static final int MAX_AGENTS = 1_000_000;
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public SimSpec {
    if (agents < 1 || agents > MAX_AGENTS) {
      throw new IllegalArgumentException("--agents must be between 1 and " + MAX_AGENTS + ", got " + agents);
    }
    if (idPrefix == null || !PREFIX.matcher(idPrefix).matches()) {
      throw new IllegalArgumentException("invalid agent id prefix '" + idPrefix + "': use letters, digits, "
          + "'.', '_' and '-', starting with a letter or digit");
    }
    if (resources == null || taskDurations == null) {
      throw new IllegalArgumentException("a simulated fleet needs resources and task durations");
    }
    attributes = Map.copyOf(attributes);
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("--failure-rate must be between 0 and 1, got " + failureRate);
    }
    if (heartbeatInterval == null || heartbeatInterval.toMillis() < 100) {
      throw new IllegalArgumentException("--heartbeat must be at least 100ms, got " + heartbeatInterval);
    }
  }

  public String agentId(int agent) {
    return idPrefix + "-" + agent;
  }

  /** The index of a simulated agent by its id, or -1 when the id is not one of this fleet's. */
  public int agentIndex(String agentId) {
    if (!agentId.startsWith(idPrefix) || agentId.length() <= idPrefix.length() + 1
        || agentId.charAt(idPrefix.length()) != '-') {
      return -1;
    }
    String number = agentId.substring(idPrefix.length() + 1);
    if (number.length() > 7 || (number.length() > 1 && number.charAt(0) == '0') || !number.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int index = Integer.parseInt(number);
    return index < agents ? index : -1;
  }
}
