package dev.kos.analytics.cassandra;

import java.util.ArrayList;
import java.util.List;

/** The forked node's JVM options: Cassandra's own Java 17 flags plus kos's small-machine settings. */
final class NodeJvmOptions {

  /** From Cassandra 5.0's {@code conf/jvm17-server.options}: the JDK internals it reaches into. */
  private static final List<String> JAVA17_ACCESS = List.of(
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.nio=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.math=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/java.net=ALL-UNNAMED");

  private NodeJvmOptions() {}

  static List<String> of(CassandraLayout layout, EmbeddedCassandraSettings settings) {
    List<String> options = new ArrayList<>();
    options.add("-Xms" + settings.maxHeap());
    options.add("-Xmx" + settings.maxHeap());
    options.add("-Xss256k");
    options.add("-XX:+UseG1GC");
    options.add("-XX:+HeapDumpOnOutOfMemoryError");
    options.add("-XX:HeapDumpPath=" + layout.logs());
    options.add("-Djava.net.preferIPv4Stack=true");
    options.add("-Djdk.attach.allowAttachSelf=true");
    options.add("-Dcassandra.config=" + layout.yaml().toUri());
    options.add("-Dcassandra.storagedir=" + layout.storage());
    options.add("-Dcassandra.logdir=" + layout.logs());
    options.add("-Dlogback.configurationFile=" + layout.logbackConfig().toUri());
    options.add("-Dcassandra-foreground=yes");
    // One node: nothing to gossip with, no ring to wait for.
    options.add("-Dcassandra.skip_wait_for_gossip_to_settle=0");
    options.add("-Dcassandra.ring_delay_ms=0");
    options.addAll(JAVA17_ACCESS);
    options.addAll(settings.extraJvmOptions());
    return options;
  }
}
