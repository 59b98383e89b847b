package dev.kos.frameworks.kafka.core;

import java.util.List;
import java.util.Optional;

/**
 * Where a broker lives for good: its agent, the host it advertises and the ports reserved for it there
 * (client port first, then the controller port of a controller node, the JMX port last).
 *
 * @param rack the agent's rack (its rack attribute, {@code zone} by default), the broker's {@code broker.rack}
 */
public record Placement(String agentId, String hostname, List<Integer> ports, Optional<String> rack) {

  public Placement {
    ports = List.copyOf(ports);
  }

  /** On an agent without a rack. */
  public Placement(String agentId, String hostname, List<Integer> ports) {
    this(agentId, hostname, ports, Optional.empty());
  }

  public int clientPort() {
    return ports.get(0);
  }

  public int controllerPort() {
    return ports.get(1);
  }

  public int jmxPort() {
    return ports.get(ports.size() - 1);
  }

  public String clientEndpoint() {
    return hostname + ":" + clientPort();
  }
}
