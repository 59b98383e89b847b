package dev.kos.analytics.cassandra;

import java.nio.file.Path;

/** Where the node's files live under its data directory. */
record CassandraLayout(Path root) {

  CassandraLayout {
    root = root.toAbsolutePath().normalize();
  }

  Path yaml() {
    return root.resolve("cassandra.yaml");
  }

  Path logbackConfig() {
    return root.resolve("logback.xml");
  }

  Path storage() {
    return root.resolve("storage");
  }

  Path logs() {
    return root.resolve("logs");
  }

  /** Cassandra's own INFO log; the place to look when the node misbehaves. */
  Path systemLog() {
    return logs().resolve("system.log");
  }

  /** Whatever the JVM prints outside the logger (crashes, JVM warnings). */
  Path consoleLog() {
    return logs().resolve("console.log");
  }

  /** The running node's pid, so a second launcher on this directory refuses instead of corrupting it. */
  Path pidFile() {
    return root.resolve("cassandra.pid");
  }
}
