package dev.kos.bench.placement;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Command;
import dev.kos.schema.ScaleApp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The placement benchmark's users: commands on {@code kos.commands} that raise the bench frameworks'
 * targets. Each {@value #TICK_MILLIS} ms it works out how many tasks are due ({@code rate × elapsed},
 * or all of them at once for rate 0), spreads them round robin over the frameworks, and sends a
 * {@code ScaleApp} (target = framework id, instances = its new total) to each framework whose total
 * grew. A command carries its send time, from which every task it asks for is timed.
 */
final class LoadGenerator implements Runnable {
  static final long TICK_MILLIS = 20;
  private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);

  private final BusPublisher publisher;
  private final List<String> frameworkIds;
  private final long tasks;
  private final double rate;
  private final Clock clock;
  private final long[] sent;
  private final AtomicLong commands = new AtomicLong();
  private volatile long firstCommandMillis;

  /** @param rate tasks per second to ask for, or 0 to ask for all of them at once */
  LoadGenerator(BusPublisher publisher, List<String> frameworkIds, long tasks, double rate, Clock clock) {
    this.publisher = publisher;
    this.frameworkIds = List.copyOf(frameworkIds);
    this.tasks = tasks;
    this.rate = rate;
    this.clock = clock;
    this.sent = new long[frameworkIds.size()];
  }

  long commands() {
    return commands.get();
  }

  long firstCommandMillis() {
    return firstCommandMillis;
  }

  @Override
  public void run() {
    long start = clock.millis();
    firstCommandMillis = start;
    long due = 0;
    try {
      while (due < tasks && !Thread.currentThread().isInterrupted()) {
        long now = clock.millis();
        due = due(tasks, rate, now - start);
        for (int framework = 0; framework < sent.length; framework++) {
          long target = targetOf(framework, sent.length, due);
          if (target > sent[framework]) {
            send(frameworkIds.get(framework), target, now);
            sent[framework] = target;
          }
        }
        Thread.sleep(TICK_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    publisher.flush();
  }

  /** How many tasks are due {@code elapsedMillis} after the start. */
  static long due(long tasks, double rate, long elapsedMillis) {
    return rate <= 0 ? tasks : Math.min(tasks, (long) Math.floor(rate * elapsedMillis / 1000.0));
  }

  /** Framework {@code framework}'s share of the first {@code due} tasks, handed out round robin. */
  static long targetOf(int framework, int frameworks, long due) {
    return due / frameworks + (framework < due % frameworks ? 1 : 0);
  }

  private void send(String frameworkId, long target, long now) {
    Command command = Command.newBuilder().setCommandId("bench-" + commands.incrementAndGet())
        .setPrincipal("bench").setRole(PlacementBench.ROLE).setTimestamp(Instant.ofEpochMilli(now))
        .setPayload(new ScaleApp(frameworkId, Math.toIntExact(target))).build();
    publisher.publishAsync(Topics.COMMANDS, frameworkId, command,
        error -> log.error("could not send a command to {}: {}", frameworkId, error.getMessage()));
  }
}
