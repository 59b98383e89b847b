package dev.kos.model;

/**
 * An inclusive range of TCP ports. Port 0 is not a port a task can be given (it means "any" to a socket),
 * so a range holds ports 1 to 65535 only.
 */
public record PortRange(int begin, int end) {

  public static final int MIN_PORT = 1;
  public static final int MAX_PORT = 65_535;

  public PortRange {
    if (begin < MIN_PORT || end > MAX_PORT || begin > end) {
      throw new IllegalArgumentException("invalid port range [" + begin + "-" + end
          + "]: need " + MIN_PORT + " <= begin <= end <= " + MAX_PORT);
    }
  }

  public boolean contains(int port) {
    return port >= begin && port <= end;
  }

  boolean overlapsOrTouches(PortRange other) {
    return begin <= other.end + 1L && other.begin <= end + 1L;
  }
}
