package dev.kos.frameworks.kafka.core;

import java.util.List;

/**
 * Where a broker lives for good: its agent, the host it advertises and the ports reserved for it there
 * (client port first, then the controller port of a controller node, the JMX port last).
 */
public record Placement(String agentId, String hostname, List<Integer> ports) {

  public Placement {
    ports = List.copyOf(ports);
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
