package dev.kos.cli.common;

import java.io.PrintWriter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a foreground command ({@code up}, {@code allocator}, {@code agent}, ...) lives: until
 * the JVM is asked to stop (Ctrl-C, SIGTERM), when its stop action runs once, in a shutdown
 * hook, and the waiting command returns.
 */
public final class UntilStopped {

  /** The exit status of a framework instance another instance replaced (sysexits' EX_TEMPFAIL: start it again). */
  public static final int EXIT_REPLACED = 75;

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

  /**
   * Ends the process with {@link #EXIT_REPLACED}, saying why, once {@code replaced} completes: a replaced framework
   * instance no longer acts (decision 0012), so it ends rather than idle on. The exit runs on a thread of its own,
   * since the shutdown hook joins the framework's threads, one of which completes the future.
   */
  public static void exitWhenReplaced(String framework, CompletableFuture<String> replaced, PrintWriter err) {
    replaced.thenAccept(reason -> {
      err.println("framework " + framework + " stops: " + reason);
      err.flush();
      new Thread(() -> System.exit(EXIT_REPLACED), "framework-" + framework + "-replaced").start();
    });
  }

  public void await() throws InterruptedException {
    stopped.await();
  }

  /** Waits at most {@code millis}; true once stopped. */
  public boolean await(long millis) throws InterruptedException {
    return stopped.await(millis, TimeUnit.MILLISECONDS);
  }
}
