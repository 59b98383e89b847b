package dev.kos.bus.testing;

/**
 * The ports of one failsafe fork. The modules whose agents run tasks on fixed ports while other forks run beside them
 * (system-tests, chaos) give each fork a block of its own, so one fork's task never finds its port held by another's.
 * Failsafe numbers its forks across the whole build: with two modules at a time (-T2), the forks alive at once hold
 * distinct numbers, whichever modules they test. So every module takes its block
 * from the same scheme ({@link #current()}), and no two live forks share a port. The blocks lie in 10000-29999: below
 * Linux's ephemeral range (32768+, where brokers and clients bind) and below 31000, which `kos up` and an agent's
 * default resources use. The fork number comes as {@code kos.test.fork=fork-N} (the module's pom sets it; a value that
 * is the placeholder alone arrives empty, SUREFIRE-1068).
 *
 * @param first the block's first port
 * @param size how many ports the block holds
 */
public record ForkPortBlock(int first, int size) {

  /** Where the blocks must end: `kos up`'s agents offer 31000 and up. */
  public static final int BELOW = 31_000;

  public ForkPortBlock {
    if (first < 1024 || size < 1 || first + size > BELOW) {
      throw new IllegalArgumentException("a fork's port block " + first + "+" + size + " must lie in 1024.." + BELOW);
    }
  }

  /** Where the blocks begin. */
  public static final int BASE = 10_000;
  /** Ports per fork: eight forks fit below 30000. */
  public static final int SIZE = 2_500;

  /** This test JVM's block. */
  public static ForkPortBlock current() {
    return of(BASE, SIZE, fork());
  }

  static ForkPortBlock of(int base, int size, int fork) {
    if (fork < 1 || base + fork * size > BELOW) {
      throw new IllegalStateException("fork " + fork + " has no port block of " + size + " from " + base
          + " below " + BELOW + ": fewer forks at once (failsafe's forkCount, Maven's -T) or smaller blocks");
    }
    return new ForkPortBlock(base + (fork - 1) * size, size);
  }

  /** The port {@code offset} places into the block. */
  public int port(int offset) {
    if (offset < 0 || offset >= size) {
      throw new IllegalArgumentException("port offset " + offset + " is outside a fork's block of " + size);
    }
    return first + offset;
  }

  /** An agent's resource range, {@code [first-last]}, of {@code count} ports from {@code offset}. */
  public String range(int offset, int count) {
    return "[" + port(offset) + "-" + port(offset + count - 1) + "]";
  }

  /** Failsafe's fork number (1-based); 1 when a test runs outside failsafe. */
  static int fork() {
    return parseFork(System.getProperty("kos.test.fork", "fork-1"));
  }

  static int parseFork(String value) {
    if (!value.matches("fork-[0-9]+")) {
      throw new IllegalStateException("system property kos.test.fork is '" + value + "', not fork-N: see the "
          + "failsafe configuration in the module's pom.xml");
    }
    return Integer.parseInt(value.substring("fork-".length()));
  }
}
