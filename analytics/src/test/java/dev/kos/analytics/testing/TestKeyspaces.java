package dev.kos.analytics.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Keyspace names unique within a test JVM, so tests sharing one node never see each other's rows. */
public final class TestKeyspaces {

  private static final AtomicInteger NEXT = new AtomicInteger();

  private TestKeyspaces() {}

  /** {@code it_<purpose>_<n>}; {@code purpose} should be lower case letters, digits, underscores. */
  public static String fresh(String purpose) {
    return "it_" + purpose + "_" + NEXT.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }
}
