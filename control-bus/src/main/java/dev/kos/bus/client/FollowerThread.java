package dev.kos.bus.client;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A daemon thread that follows topics for a long-running client, and the moment it is ready (positioned, or caught
 * up). Its body gets the way to say so, reads with a {@link TopicReader}, and ends when the thread is interrupted.
 */
public final class FollowerThread implements AutoCloseable {

  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread thread;

  private FollowerThread(String name, Consumer<Runnable> body) {
    this.thread = new Thread(() -> body.accept(ready::countDown), name);
    thread.setDaemon(true);
  }

  /** Starts {@code body}, which calls the runnable it is given once it is ready. */
  public static FollowerThread start(String name, Consumer<Runnable> body) {
    FollowerThread follower = new FollowerThread(name, body);
    follower.thread.start();
    return follower;
  }

  /** True once the body said it is ready; false on timeout. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean ready() {
    return ready.getCount() == 0;
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(Duration.ofSeconds(10).toMillis());
  }
}
