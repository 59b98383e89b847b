package dev.kos.local.forked;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops a launcher's forked nodes once: on {@link #close}, or when this JVM exits first (a shutdown hook), so a
 * JVM that exits without closing its launcher leaves no process behind.
 */
public final class StopHook implements AutoCloseable {

  private final Runnable stop;
  private final Thread hook;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private StopHook(String name, Runnable stop) {
    this.stop = stop;
    this.hook = new Thread(this::stop, name);
  }

  /** Registers {@code stop} to run at JVM exit; the thread's name says whose it is. */
  public static StopHook register(String name, Runnable stop) {
    StopHook stopHook = new StopHook(name, stop);
    Runtime.getRuntime().addShutdownHook(stopHook.hook);
    return stopHook;
  }

  /** Runs the stop the first time only; whichever of {@link #close} and JVM exit comes first does it. */
  public void stop() {
    if (stopped.compareAndSet(false, true)) {
      stop.run();
    }
  }

  /**
   * Leaves stopping at JVM exit to the owner. The JVM runs shutdown hooks all at once, so an owner that stops a
   * whole stack in order from its own hook must take this one away, or this node goes first and the rest wait out
   * their timeouts against it.
   */
  public void unregister() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down and the hook is running or has run; nothing to remove.
    }
  }

  /** Stops now (once) and drops the hook. */
  @Override
  public void close() {
    stop();
    unregister();
  }
}
