package dev.kos.agent.model;

/** An inclusive range of TCP ports. */
public record PortRange(int begin, int end) {
  public PortRange {
    if (begin < 1 || end > 65535 || begin > end) {
      throw new IllegalArgumentException("invalid port range [" + begin + "-" + end
          + "]: need 1 <= begin <= end <= 65535");
    }
  }

  public boolean contains(int port) {
    return port >= begin && port <= end;
  }
}
