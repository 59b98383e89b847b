package dev.kos.bench.allocator;

import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.Offer;
import java.time.Duration;
import java.time.Instant;
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
 * One allocation round with {@code freePercent} of the agents free and the rest held by outstanding offers.
 * At 100 % the round offers every agent (the worst case); at 1 % it shows that a round visits only free agents.
 *
 * <p>A round changes the allocator (its offers hold the agents), so each measured round needs the agents freed
 * first. That is done once per iteration, in single-shot mode (one round per iteration), rather than with
 * {@code Level.Invocation} around a millisecond-scale call, which JMH warns distorts what it times; enough single
 * shots warm the JIT up first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@Warmup(iterations = 200)
@Measurement(iterations = 100)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class AllocationRoundBenchmark {

  @Param({"1000", "10000"})
  public int agents;

  @Param("100")
  public int frameworks;

  @Param("10")
  public int roles;

  @Param({"100", "1"})
  public int freePercent;

  private Allocator allocator;
  private Instant now = AllocatorFixtures.START;

  @Setup(Level.Trial)
  public void buildCluster() {
    allocator = AllocatorFixtures.cluster(agents, frameworks, roles);
  }

  /** Takes every offer back, then offers all agents and declines (without refusal) the free share of them. */
  @Setup(Level.Iteration)
  public void freeAgents() {
    now = now.plus(Duration.ofHours(1));
    allocator.expireOffers(now);
    if (freePercent < 100) {
      List<Offer> offers = allocator.allocate(now).offers();
      int toFree = Math.max(1, offers.size() * freePercent / 100);
      for (Offer offer : offers.subList(0, toFree)) {
        allocator.decline(offer.frameworkId(), List.of(offer.offerId()), Duration.ZERO, now);
      }
    }
  }

  @Benchmark
  public int allocationRound() {
    int offers = allocator.allocate(now).offers().size();
    if (offers == 0) {
      throw new IllegalStateException("the round made no offers: the benchmark measured nothing");
    }
    return offers;
  }
}
