package dev.kos.systemtests;

import dev.kos.bus.testing.ForkPortBlock;

/**
 * The ports this test JVM's agents offer: its fork's block ({@link ForkPortBlock}, 2,500 ports), apart from the chaos
 * suite's forks that run beside this module. One fork runs one class at a time, so a class may use the whole block.
 */
public final class ForkPorts {

  private static final ForkPortBlock BLOCK = ForkPortBlock.current();

  private ForkPorts() {
  }

  /** The port {@code offset} places into this fork's block. */
  public static int port(int offset) {
    return BLOCK.port(offset);
  }

  /** An agent's resource range, {@code [first-last]}, of {@code count} ports from {@code offset} in this fork's block. */
  public static String range(int offset, int count) {
    return BLOCK.range(offset, count);
  }
}
