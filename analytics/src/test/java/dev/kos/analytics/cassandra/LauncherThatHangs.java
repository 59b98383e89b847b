package dev.kos.analytics.cassandra;

import dev.kos.analytics.store.CassandraSessions;
import java.nio.file.Path;

/** Starts a node, prints its pid and waits to be killed: the launcher a crash leaves behind. */
public final class LauncherThatHangs {

  private LauncherThatHangs() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedCassandra node = EmbeddedCassandra.start(EmbeddedCassandraSettings.defaults().withDataDir(Path.of(args[0])), CassandraSessions::probe);
    System.out.println(node.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
