package dev.kos.bus.embedded;

import java.util.Properties;

/**
 * What kos remembers about a broker in its data directory ({@code kos-broker.properties}): the
 * cluster id it was formatted with and the ports it listened on, so a restart keeps the
 * bootstrap address that clients saved.
 */
public record BrokerRecord(String clusterId, int nodeId, BrokerPorts ports) {

  private static final String CLUSTER_ID = "cluster.id";
  private static final String NODE_ID = "node.id";
  private static final String BROKER_PORT = "broker.port";
  private static final String CONTROLLER_PORT = "controller.port";

  public BrokerRecord withPorts(BrokerPorts newPorts) {
    return new BrokerRecord(clusterId, nodeId, newPorts);
  }

  public Properties toProperties() {
    Properties properties = new Properties();
    properties.setProperty(CLUSTER_ID, clusterId);
    properties.setProperty(NODE_ID, Integer.toString(nodeId));
    properties.setProperty(BROKER_PORT, Integer.toString(ports.broker()));
    properties.setProperty(CONTROLLER_PORT, Integer.toString(ports.controller()));
    return properties;
  }

  /** Parses a stored record; a missing or malformed key is reported by name. */
  public static BrokerRecord fromProperties(Properties properties) {
    return new BrokerRecord(
        required(properties, CLUSTER_ID),
        requiredInt(properties, NODE_ID),
        new BrokerPorts(requiredInt(properties, BROKER_PORT), requiredInt(properties, CONTROLLER_PORT)));
  }

  private static String required(Properties properties, String key) {
    String value = properties.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("missing " + key);
    }
    return value.trim();
  }

  private static int requiredInt(Properties properties, String key) {
    String value = required(properties, key);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " is not a number: " + value, e);
    }
  }
}
