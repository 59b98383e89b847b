package dev.kos.bus.embedded;

/**
 * The two ports of a combined-mode broker: clients talk to {@code broker}, the KRaft quorum to
 * {@code controller}. Zero means "not chosen yet": the launcher picks a free port.
 */
public record BrokerPorts(int broker, int controller) {

  /** Both ports left to the launcher. */
  public static final BrokerPorts ANY = new BrokerPorts(0, 0);

  public BrokerPorts {
    requireValidPort("broker", broker);
    requireValidPort("controller", controller);
    if (broker != 0 && broker == controller) {
      throw new IllegalArgumentException("broker and controller ports must differ, both are " + broker);
    }
  }

  /** These ports, with each zero replaced by the corresponding port of {@code fallback}. */
  public BrokerPorts orElse(BrokerPorts fallback) {
    return new BrokerPorts(
        broker != 0 ? broker : fallback.broker, controller != 0 ? controller : fallback.controller);
  }

  public boolean fullyChosen() {
    return broker != 0 && controller != 0;
  }

  private static void requireValidPort(String name, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(name + " port out of range: " + port);
    }
  }
}
