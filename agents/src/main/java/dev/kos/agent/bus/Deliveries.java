package dev.kos.agent.bus;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends an agent has handed to its producer and not yet seen acknowledged. The producer
 * retries on its own; what it finally gives up on is logged here with what was lost, so a send
 * never has to wait. Used from the agent's one outbox thread only.
 */
public final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  private record Pending(String what, Future<?> ack) {
  }

  private final Deque<Pending> pending = new ArrayDeque<>();

  public void track(String what, Future<?> ack) {
    pending.addLast(new Pending(what, ack));
  }

  /** Forgets the sends acknowledged so far, logging each that failed; returns how many are still in flight. */
  public int sweep() {
    pending.removeIf(this::settled);
    return pending.size();
  }

  private boolean settled(Pending send) {
    if (!send.ack().isDone()) {
      return false;
    }
    try {
      send.ack().get();
    } catch (ExecutionException e) {
      log.error("could not publish {}: {}", send.what(), e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }
}
