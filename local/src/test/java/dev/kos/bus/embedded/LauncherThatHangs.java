package dev.kos.bus.embedded;

import java.nio.file.Path;

/**
 * A launcher JVM for {@link EmbeddedKafkaIT}: starts a broker on the data directory given as
 * argument, prints its pid, then waits to be killed, so the test can kill a launcher outright.
 */
public final class LauncherThatHangs {

  static final String READY_PREFIX = "broker-pid=";

  private LauncherThatHangs() {}

  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaSettings.defaults().withDataDir(Path.of(args[0])));
    System.out.println(READY_PREFIX + kafka.pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
