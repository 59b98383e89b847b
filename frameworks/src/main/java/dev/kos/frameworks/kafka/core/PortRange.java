package dev.kos.frameworks.kafka.core;

/** An inclusive range of ports, as offers carry them. */
public record PortRange(int begin, int end) {

  public boolean contains(int port) {
    return port >= begin && port <= end;
  }
}
