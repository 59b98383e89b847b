package dev.kos.agent.bus;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sends an agent has handed to its producer and not yet seen acknowledged. The producer
 * retries on its own (for minutes: see the bus's delivery timeout); what it finally gives up on is
 * logged here with what was lost and handed to the send's {@link Outcome}, which may send it again,
 * so a send never has to wait. Used from the agent's one outbox thread only.
 */
public final class Deliveries {
  private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

  /** What to do once a send is settled; {@code failure} is null when the bus acknowledged it. */
  @FunctionalInterface
  public interface Outcome {
    Outcome NONE = failure -> { };

    void settled(Throwable failure);
  }

  private record Pending(String what, Future<?> ack, Outcome outcome) {
  }

  private final Deque<Pending> pending = new ArrayDeque<>();

  public void track(String what, Future<?> ack) {
    track(what, ack, Outcome.NONE);
  }

  public void track(String what, Future<?> ack, Outcome outcome) {
    pending.addLast(new Pending(what, ack, outcome));
  }

  /**
   * Settles the sends acknowledged or failed so far, in the order they were sent, logging each that failed;
   * returns how many are still in flight. An outcome may track new sends.
   */
  public int sweep() {
    Deque<Pending> settled = new ArrayDeque<>();
    pending.removeIf(send -> send.ack().isDone() && settled.add(send));
    settled.forEach(this::settle);
    return pending.size();
  }

  private void settle(Pending send) {
    Throwable failure = null;
    try {
      send.ack().get();
    } catch (ExecutionException e) {
      failure = e.getCause();
      log.error("could not publish {}: {}", send.what(), failure.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    }
    send.outcome().settled(failure);
  }
}
