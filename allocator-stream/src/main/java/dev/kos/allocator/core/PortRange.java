package dev.kos.allocator.core;

/** An inclusive range of TCP ports. */
public record PortRange(int begin, int end) {

  public PortRange {
    if (begin < 0 || end > 65_535 || begin > end) {
      throw new IllegalArgumentException(
          "port range [" + begin + ", " + end + "] must satisfy 0 <= begin <= end <= 65535");
    }
  }

  boolean overlapsOrTouches(PortRange other) {
    return begin <= other.end + 1L && other.begin <= end + 1L;
  }
}
