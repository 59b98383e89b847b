package dev.kos.bus.consume;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a process's consumer loops, each on a thread of its own, and hears of any that dies. A loop
 * that ends by throwing (an Error from a handler, an exception it does not survive) leaves its
 * process alive but deaf: an agent that heartbeats and never launches, a framework that takes no
 * commands. Such a zombie is worse than a dead process, which a process supervisor restarts; so by
 * default ({@link #forProcess()}) a loop's death ends the process, loudly, with
 * {@link #EXIT_LOOP_DIED}. A library user who wants otherwise passes a {@link FailureHandler}.
 *
 * <p>A loop that returns, which {@link BusConsumerLoop} does only once closed, has finished, not died.
 */
public final class LoopSupervisor {

  private static final Logger log = LoggerFactory.getLogger(LoopSupervisor.class);

  /**
   * The exit status of a process whose consumer loop died: 70, EX_SOFTWARE of sysexits.h ("internal
   * software error"), distinct from kos's usage (2) and failure (1) statuses.
   */
  public static final int EXIT_LOOP_DIED = 70;

  /** How long shutdown hooks get before a dying process is halted: a hook that hangs must not keep a zombie. */
  static final Duration EXIT_GRACE = Duration.ofSeconds(30);

  /** Hears that a loop died, on the loop's own thread, which ends after it returns. */
  @FunctionalInterface
  public interface FailureHandler {
    void loopDied(String loop, Throwable cause);
  }

  private final FailureHandler onFailure;

  public LoopSupervisor(FailureHandler onFailure) {
    this.onFailure = onFailure;
  }

  /** The supervisor of a kos process: a loop that dies ends the process with {@link #EXIT_LOOP_DIED}. */
  public static LoopSupervisor forProcess() {
    return new LoopSupervisor(exitingVia(LoopSupervisor::exit));
  }

  /**
   * Logs the death at ERROR and hands the exit status to {@code exit}, once however many loops die.
   * Package-private so tests can see the status without ending their JVM.
   */
  static FailureHandler exitingVia(IntConsumer exit) {
    AtomicBoolean exiting = new AtomicBoolean();
    return (loop, cause) -> {
      log.error("consumer loop {} died; the process cannot do its work without it and exits with status {} "
          + "for its supervisor to restart it", loop, EXIT_LOOP_DIED, cause);
      if (exiting.compareAndSet(false, true)) {
        exit.accept(EXIT_LOOP_DIED);
      }
    };
  }

  /** Starts {@code loop} on a new thread named {@code name}; returns the thread, for joining. */
  public Thread start(String name, Runnable loop) {
    Thread thread = new Thread(() -> {
      try {
        loop.run();
      } catch (Throwable cause) {
        onFailure.loopDied(name, cause);
      }
    }, name);
    thread.start();
    return thread;
  }

  /**
   * Exits from a thread of its own, so shutdown hooks that join the dying loop's thread can finish;
   * halts if they have not after {@link #EXIT_GRACE}.
   */
  private static void exit(int status) {
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(EXIT_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(status);
    }, "kos-exit-halt");
    halt.setDaemon(true);
    halt.start();
    new Thread(() -> System.exit(status), "kos-exit").start();
  }
}
