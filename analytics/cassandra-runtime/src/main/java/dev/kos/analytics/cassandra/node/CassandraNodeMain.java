package dev.kos.analytics.cassandra.node;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of the forked Cassandra JVM: Cassandra's own {@code CassandraDaemon} main, plus an
 * exit when the launching JVM goes away. The launcher holds the write end of this process's stdin;
 * when it dies, even by SIGKILL where no shutdown hook runs, stdin reaches end of file and the node
 * stops through Cassandra's own shutdown hook (which drains the commit log) instead of lingering as
 * an orphan that holds the data directory and the ports.
 */
public final class CassandraNodeMain {

  private static final String DAEMON_CLASS = "org.apache.cassandra.service.CassandraDaemon";

  private CassandraNodeMain() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    Thread watcher = new Thread(() -> exitAtEndOf(System.in), "kos-launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
    // Reflective so that this class compiles and loads without Cassandra's classes being resolved
    // before the watcher runs.
    try {
      Class.forName(DAEMON_CLASS).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Cassandra node failed", e.getCause());
    }
  }

  private static void exitAtEndOf(InputStream launcherPipe) {
    try {
      while (launcherPipe.read() != -1) {
        // The launcher never writes; anything read is ignored.
      }
    } catch (IOException e) {
      // A broken pipe means the same as end of file: the launcher is gone.
    }
    System.exit(0);
  }
}
