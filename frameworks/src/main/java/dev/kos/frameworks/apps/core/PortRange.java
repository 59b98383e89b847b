package dev.kos.frameworks.apps.core;

/** An inclusive range of TCP ports. */
public record PortRange(int begin, int end) {

  public boolean contains(int port) {
    return begin <= port && port <= end;
  }
}
