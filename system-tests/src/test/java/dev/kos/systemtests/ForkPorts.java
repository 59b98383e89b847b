package dev.kos.systemtests;

import dev.kos.bus.testing.ForkPortBlock;

/**
 * The ports this test JVM's agents offer. Failsafe runs two system-test classes at a time, one per fork, and every
 * class's agents share this host: each fork owns 5,000 ports of 20000-29999 (the chaos suite, which runs beside this
 * module, owns 10000-19999). One fork runs one class at a time, so a class may use its fork's whole block.
 */
public final class ForkPorts {

  private static final ForkPortBlock BLOCK = ForkPortBlock.of(20_000, 5_000);

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
