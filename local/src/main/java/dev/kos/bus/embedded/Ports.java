package dev.kos.bus.embedded;

import dev.kos.local.forked.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port probes on the loopback address the embedded broker listens on. */
final class Ports {

  private Ports() {}

  /** Whether another process listens on {@code port}; found by trying to bind it. */
  static boolean inUse(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // Kafka binds with SO_REUSEADDR too, so a port in TIME_WAIT after our own broker stopped
      // counts as free, exactly as it is for the restarted broker.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Replaces each zero port with a currently free one, all distinct. */
  static BrokerPorts chooseFree(BrokerPorts requested) {
    int broker = requested.broker() != 0 ? requested.broker() : FreePorts.otherThan(requested.controller());
    int controller = requested.controller() != 0 ? requested.controller() : FreePorts.otherThan(broker);
    return new BrokerPorts(broker, controller);
  }
}
