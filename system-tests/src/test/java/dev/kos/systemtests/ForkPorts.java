package dev.kos.systemtests;

/**
 * The ports this test JVM's agents offer. Failsafe runs two system-test classes at a time, one per fork; every
 * class's agents share this host, and a port one fork's task holds would make the other fork's task fail to bind.
 * So each fork owns a block of its own: below Linux's ephemeral range (32768+, where brokers and clients bind),
 * and below 31000, which `kos up` (in {@code ReadmeKafkaFlowIT}) and an agent's default resources use. One fork
 * runs one class at a time, so a class may use its fork's whole block.
 */
public final class ForkPorts {

  static final int FIRST = 20_000;
  static final int BLOCK = 5_000;
  /** Blocks end below 31000: two forks fit, a third would reach `kos up`'s ports. */
  static final int MAX_FORKS = 2;

  private ForkPorts() {
  }

  /** The port {@code offset} places into this fork's block. */
  public static int port(int offset) {
    return port(fork(), offset);
  }

  /** An agent's resource range, {@code [first-last]}, of {@code count} ports from {@code offset} in this fork's block. */
  public static String range(int offset, int count) {
    return "[" + port(offset) + "-" + port(offset + count - 1) + "]";
  }

  static int port(int fork, int offset) {
    if (fork < 1 || fork > MAX_FORKS) {
      throw new IllegalStateException("system tests have port blocks for forks 1.." + MAX_FORKS + ", not fork " + fork
          + ": lower failsafe's forkCount in system-tests/pom.xml or give ForkPorts more blocks");
    }
    if (offset < 0 || offset >= BLOCK) {
      throw new IllegalArgumentException("port offset " + offset + " is outside a fork's block of " + BLOCK);
    }
    return FIRST + (fork - 1) * BLOCK + offset;
  }

  /** Failsafe's fork number (1-based), passed as {@code kos.test.fork=fork-N}; 1 when a test runs outside failsafe. */
  static int fork() {
    return parseFork(System.getProperty("kos.test.fork", "fork-1"));
  }

  static int parseFork(String value) {
    if (!value.matches("fork-[0-9]+")) {
      throw new IllegalStateException("system property kos.test.fork is '" + value + "', not fork-N: see the "
          + "failsafe configuration in system-tests/pom.xml");
    }
    return Integer.parseInt(value.substring("fork-".length()));
  }
}
