package dev.kos.frameworks.kafka.core;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * An offer as the kafka planner sees it: what is free on an agent, and apart from it what is already
 * reserved there for the framework's role (a placed broker's resources, offered back for a (re)launch).
 *
 * @param rack the value of the agent's rack attribute, if it has one
 */
public record BrokerOffer(String offerId, String agentId, String hostname, Resources unreserved,
    List<PortRange> unreservedPorts, Resources reserved, List<PortRange> reservedPorts, Optional<String> rack) {

  public BrokerOffer {
    unreservedPorts = List.copyOf(unreservedPorts);
    reservedPorts = List.copyOf(reservedPorts);
  }

  /** An offer of an agent without a rack. */
  public BrokerOffer(String offerId, String agentId, String hostname, Resources unreserved,
      List<PortRange> unreservedPorts, Resources reserved, List<PortRange> reservedPorts) {
    this(offerId, agentId, hostname, unreserved, unreservedPorts, reserved, reservedPorts, Optional.empty());
  }

  /** The first {@code count} free unreserved ports, or an empty list when there are fewer. */
  public List<Integer> freePorts(int count) {
    return unreservedPorts.stream()
        .flatMap(range -> IntStream.rangeClosed(range.begin(), range.end()).boxed())
        .limit(count).toList();
  }

  /** Whether the reservation in this offer holds a broker's resources and ports. */
  public boolean reservedHolds(Resources resources, List<Integer> ports) {
    return reserved.containsAll(resources)
        && ports.stream().allMatch(port -> reservedPorts.stream().anyMatch(range -> range.contains(port)));
  }
}
