package dev.kos.bench.allocator;

import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.Decisions;
import dev.kos.allocator.core.Offer;
import dev.kos.model.Resources;
import dev.kos.allocator.core.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Core throughput: the time to place all {@code tasks} through the full loop a shell drives (allocation
 * round, accepts, and terminal statuses that keep the cluster from filling up). Placements per second is
 * {@code tasks / score}; {@link AllocatorBenchmarks} prints it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlacementThroughputBenchmark {

  /** The shell's punctuator interval between rounds. */
  private static final Duration ROUND_INTERVAL = Duration.ofMillis(50);
  /** Running tasks per agent beyond which the oldest end; about 60 % of an agent's cpus at the mean task size. */
  private static final int RUNNING_TASKS_PER_AGENT = 10;

  @Param("1000000")
  public int tasks;

  @Param("10000")
  public int agents;

  @Param("100")
  public int frameworks;

  @Param("10")
  public int roles;

  private Resources[] sizes;
  private Allocator allocator;

  @Setup(Level.Trial)
  public void drawTaskSizes() {
    sizes = AllocatorFixtures.taskSizes(tasks);
  }

  @Setup(Level.Invocation)
  public void buildCluster() {
    allocator = AllocatorFixtures.cluster(agents, frameworks, roles);
  }

  @Benchmark
  public long placeAllTasks() {
    ArrayDeque<String> running = new ArrayDeque<>();
    int maxRunning = RUNNING_TASKS_PER_AGENT * agents;
    Instant now = AllocatorFixtures.START;
    int next = 0;
    long placed = 0;
    while (next < tasks) {
      Decisions round = allocator.allocate(now);
      for (Offer offer : round.offers()) {
        List<TaskRequest> batch = new ArrayList<>();
        Resources left = offer.resources();
        while (next < tasks && left.containsAll(sizes[next])) {
          batch.add(new TaskRequest("t" + next, sizes[next]));
          left = left.minus(sizes[next]);
          next++;
        }
        if (batch.isEmpty()) {
          allocator.decline(offer.frameworkId(), List.of(offer.offerId()), now);
          continue;
        }
        Decisions accepted = allocator.accept(offer.frameworkId(), List.of(offer.offerId()), batch);
        placed += accepted.launches().size();
        batch.forEach(task -> running.addLast(task.taskId()));
      }
      while (running.size() > maxRunning) {
        allocator.taskEnded(running.pollFirst());
      }
      now = now.plus(ROUND_INTERVAL);
    }
    if (placed != tasks) {
      throw new IllegalStateException("placed " + placed + " of " + tasks + " tasks: the run did not do the work");
    }
    return placed;
  }
}
