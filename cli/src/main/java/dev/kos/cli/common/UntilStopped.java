package dev.kos.cli.common;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a foreground command ({@code up}, {@code allocator}, {@code agent}, ...) lives: until
 * the JVM is asked to stop (Ctrl-C, SIGTERM), when its stop action runs once, in a shutdown
 * hook, and the waiting command returns.
 */
public final class UntilStopped {

  private final CountDownLatch stopped = new CountDownLatch(1);

  private UntilStopped() {
  }

  public static UntilStopped onStop(String name, Runnable stop) {
    UntilStopped life = new UntilStopped();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.run();
      life.stopped.countDown();
    }, "kos-" + name + "-shutdown"));
    return life;
  }

  public void await() throws InterruptedException {
    stopped.await();
  }

  /** Waits at most {@code millis}; true once stopped. */
  public boolean await(long millis) throws InterruptedException {
    return stopped.await(millis, TimeUnit.MILLISECONDS);
  }
}
