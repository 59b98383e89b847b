package dev.kos.agent.health;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Healthy when a TCP connection to the port opens. */
public record TcpProbe(String host, int port) implements HealthProbe {
  @Override
  public ProbeResult probe(Duration timeout) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return ProbeResult.healthy("connected to " + host + ":" + port);
    } catch (IOException e) {
      return ProbeResult.unhealthy("cannot connect to " + host + ":" + port + ": " + e.getMessage());
    }
  }
}
