package dev.kos.bus.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;

/**
 * Entry point of the forked broker JVM: Kafka's own {@code kafka.Kafka} main, plus an exit when
 * the launching JVM goes away. The launcher holds the write end of this process's stdin; when it
 * dies, even by SIGKILL where no shutdown hook runs, stdin reaches end of file and the broker
 * shuts down cleanly through its own shutdown hook instead of lingering as an orphan that holds
 * the data directory and the ports.
 */
public final class BrokerMain {

  private static final String KAFKA_MAIN_CLASS = "kafka.Kafka";

  private BrokerMain() {}

  public static void main(String[] args) throws ReflectiveOperationException {
    Thread watcher = new Thread(() -> exitAtEndOf(System.in), "kos-launcher-watch");
    watcher.setDaemon(true);
    watcher.start();
    // kafka_2.13 is a runtime-only dependency of this module, hence the reflective call.
    try {
      Class.forName(KAFKA_MAIN_CLASS).getMethod("main", String[].class).invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("Kafka broker failed", e.getCause());
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
