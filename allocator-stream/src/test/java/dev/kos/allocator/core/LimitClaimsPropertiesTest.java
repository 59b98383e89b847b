package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Shards sharing a quota limit through the summaries' log, under any interleaving: each shard reads the log at
 * its own pace, publishes when its last summary came back, grows and shrinks within what it may hold, and may
 * restart from a compacted log. What all shards hold together never exceeds the limit, nor do the claims the
 * log holds; a single busy shard ends up able to use the whole limit; and shards that all want more never
 * stall with each holding a part too small to grow by a task.
 */
class LimitClaimsPropertiesTest {

  private static final String ROLE = "spark";
  private static final Resources LIMIT = Resources.of(40, 40 * 1024);

  sealed interface Step {
  }

  record Publish(int shard) implements Step {
  }

  record Read(int shard, int records) implements Step {
  }

  record Grow(int shard, double cpus, double mem) implements Step {
  }

  record Shrink(int shard, double cpus, double mem) implements Step {
  }

  record Restart(int shard) implements Step {
  }

  @Property(tries = 2000)
  void shardsTogetherNeverExceedTheLimit(@ForAll @IntRange(min = 1, max = 4) int shards,
      @ForAll("steps") List<Step> steps) {
    World world = new World(shards);
    for (Step step : steps) {
      world.apply(step);
      Resources held = world.shards.stream().map(s -> s.held).reduce(Resources.NONE, Resources::plus);
      assertThat(LIMIT.containsAll(held)).as("held %s within %s after %s", held, LIMIT, step).isTrue();
      Resources claimed = world.truth().values().stream().map(view -> view.committed(ROLE))
          .reduce(Resources.NONE, Resources::plus);
      assertThat(LIMIT.containsAll(claimed)).as("claims %s within %s after %s", claimed, LIMIT, step).isTrue();
      for (Shard reader : world.shards) {
        Map<String, ShardView> truth = world.truthUpTo(reader.readUpTo);
        reader.views.values().stream().filter(view -> !view.shard().equals(reader.id)).forEach(view ->
            assertThat(view.committed(ROLE).containsAll(truth.get(view.shard()).committed(ROLE)))
                .as("%s reads %s's claim as %s, not below %s, after %s", reader.id, view.shard(),
                    view.committed(ROLE), truth.get(view.shard()).committed(ROLE), step).isTrue());
      }
    }
  }

  /** The property's first counterexample: a restarted shard read a compacted log and claimed twice the limit. */
  @Example
  void aShardRestartedFromACompactedLogNeverUnderestimatesAnotherShard() {
    World world = new World(3);
    List<Step> steps = List.of(new Grow(0, 0, 512), new Publish(0), new Read(0, 1), new Publish(0),
        new Grow(0, 0, 0), new Restart(0), new Publish(0), new Read(1, 1), new Grow(2, 0, 512), new Publish(2),
        new Read(1, 2), new Grow(1, 0.5, 0), new Publish(1), new Read(2, 5), new Publish(2), new Read(0, 4),
        new Grow(0, 0.5, 0), new Publish(0));
    steps.forEach(world::apply);
    Resources claimed = world.truth().values().stream().map(view -> view.committed(ROLE))
        .reduce(Resources.NONE, Resources::plus);
    assertThat(LIMIT.containsAll(claimed)).as("claims %s within %s", claimed, LIMIT).isTrue();
  }

  @Property(tries = 200)
  void aBusyShardGainsTheWholeLimitWhileTheOthersIdle(@ForAll @IntRange(min = 1, max = 4) int shards) {
    World world = new World(shards);
    for (int exchange = 0; exchange < 60; exchange++) {
      for (int i = 0; i < shards; i++) {
        world.apply(new Publish(i));
      }
      for (int i = 0; i < shards; i++) {
        world.apply(new Read(i, Integer.MAX_VALUE));
      }
      world.apply(new Grow(0, LIMIT.cpus(), LIMIT.mem()));
    }
    assertThat(world.shards.get(0).held.cpus()).isGreaterThan(LIMIT.cpus() * 0.99);
  }

  @Property(tries = 200)
  void shardsThatAllWantMoreFillTheLimitOneTaskAtATime(@ForAll @IntRange(min = 1, max = 4) int shards,
      @ForAll("taskSizes") double taskCpus) {
    World world = new World(shards);
    int tasks = (int) (LIMIT.cpus() / taskCpus);
    for (int exchange = 0; exchange < 4 * tasks + 20; exchange++) {
      for (int i = 0; i < shards; i++) {
        world.apply(new Publish(i));
      }
      for (int i = 0; i < shards; i++) {
        world.apply(new Read(i, Integer.MAX_VALUE));
        world.shards.get(i).growByWholeTask(Resources.of(taskCpus, 0));
      }
    }
    double held = world.shards.stream().mapToDouble(shard -> shard.held.cpus()).sum();
    assertThat(held).isGreaterThan(LIMIT.cpus() - taskCpus);
  }

  @Provide
  Arbitrary<Double> taskSizes() {
    return Arbitraries.of(0.5, 1.0, 3.0, 7.0);
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Integer> shard = Arbitraries.integers().between(0, 3);
    Arbitrary<Double> cpus = Arbitraries.of(0.0, 0.5, 1.0, 4.0, 16.0);
    Arbitrary<Double> mem = Arbitraries.of(0.0, 512.0, 4096.0, 16384.0);
    Arbitrary<Step> step = Arbitraries.frequencyOf(
        Tuple.of(4, shard.map(Publish::new)),
        Tuple.of(5, Combinators.combine(shard, Arbitraries.integers().between(1, 4)).as(Read::new)),
        Tuple.of(5, Combinators.combine(shard, cpus, mem).as(Grow::new)),
        Tuple.of(2, Combinators.combine(shard, cpus, mem).as(Shrink::new)),
        Tuple.of(1, shard.map(Restart::new)));
    return step.list().ofMinSize(1).ofMaxSize(120);
  }

  /** The log and the shards reading it; the "truth" is the log applied whole, as a live reader sees it. */
  private static final class World {
    final List<ShardSummary> log = new ArrayList<>();
    final List<Shard> shards = new ArrayList<>();

    World(int count) {
      for (int i = 0; i < count; i++) {
        shards.add(new Shard("s" + i));
      }
    }

    void apply(Step step) {
      if (step instanceof Publish p) {
        shard(p.shard()).publish(log);
      } else if (step instanceof Read r) {
        shard(r.shard()).read(log, r.records());
      } else if (step instanceof Grow g) {
        shard(g.shard()).grow(Resources.of(g.cpus(), g.mem()));
      } else if (step instanceof Shrink s) {
        shard(s.shard()).shrink(Resources.of(s.cpus(), s.mem()));
      } else {
        shard(((Restart) step).shard()).restart(compacted());
      }
    }

    private Shard shard(int pick) {
      return shards.get(pick % shards.size());
    }

    Map<String, ShardView> truth() {
      return truthUpTo(log.size() - 1);
    }

    Map<String, ShardView> truthUpTo(long position) {
      Map<String, ShardView> views = new HashMap<>();
      for (int offset = 0; offset <= position; offset++) {
        ShardSummary summary = log.get(offset);
        views.put(summary.shard(), ShardLedger.apply(views, summary, offset));
      }
      return views;
    }

    /** The latest summary of each shard at its offset, as a reader starting now reads the compacted log. */
    private TreeMap<Integer, ShardSummary> compacted() {
      Map<String, Integer> latest = new HashMap<>();
      for (int offset = 0; offset < log.size(); offset++) {
        latest.put(log.get(offset).shard(), offset);
      }
      TreeMap<Integer, ShardSummary> kept = new TreeMap<>();
      latest.values().forEach(offset -> kept.put(offset, log.get(offset)));
      return kept;
    }
  }

  /** One shard as the allocator shell runs it: its views of the log, what it holds, its last request. */
  private static final class Shard {
    final String id;
    Map<String, ShardView> views = new LinkedHashMap<>();
    long readUpTo = -1;
    Resources held = Resources.NONE;
    Map<String, Resources> lastAsked = Map.of();
    long seq;
    boolean inFlight;
    boolean restarted;
    boolean wantsMore;

    Shard(String id) {
      this.id = id;
    }

    void publish(List<ShardSummary> log) {
      if (inFlight) {
        return;
      }
      UsageSummary usage = usage();
      lastAsked = restarted ? LimitClaims.afterRestart(Map.of(ROLE, LIMIT), usage)
          : LimitClaims.next(id, Map.of(ROLE, LIMIT), usage, views.values());
      restarted = false;
      ShardView own = views.get(id);
      log.add(new ShardSummary(id, ++seq, usage, lastAsked, own == null ? Map.of() : own.committed(), readUpTo));
      inFlight = true;
    }

    void read(List<ShardSummary> log, int records) {
      while (records-- > 0 && readUpTo + 1 < log.size()) {
        readUpTo++;
        ShardSummary summary = log.get((int) readUpTo);
        views.put(summary.shard(), ShardLedger.apply(views, summary, readUpTo));
        if (summary.shard().equals(id) && summary.seq() == seq) {
          inFlight = false;
        }
      }
    }

    /** Grows by as much of {@code more} as it may; held back, it wants more until it grows or shrinks freely. */
    void grow(Resources more) {
      Resources may = LimitClaims.shares(Map.of(ROLE, LIMIT), views.get(id), lastAsked).get(ROLE);
      Resources wished = held.plus(more);
      held = wished.commonWith(may).scalarsAtLeast(held);
      wantsMore = !held.equals(wished);
    }

    /** Grows by one task only if it fits whole, as a framework launches; held back, it wants more. */
    void growByWholeTask(Resources task) {
      Resources may = LimitClaims.shares(Map.of(ROLE, LIMIT), views.get(id), lastAsked).get(ROLE);
      wantsMore = !may.containsAll(held.plus(task));
      if (!wantsMore) {
        held = held.plus(task);
      }
    }

    void shrink(Resources less) {
      held = held.minus(less);
      wantsMore = false;
    }

    /** Keeps what it holds (its tasks run on), forgets the rest, and reads the compacted log from the start. */
    void restart(TreeMap<Integer, ShardSummary> compacted) {
      views = new LinkedHashMap<>();
      compacted.forEach((offset, summary) -> views.put(summary.shard(), ShardLedger.apply(views, summary, offset)));
      readUpTo = compacted.isEmpty() ? -1 : compacted.lastKey();
      lastAsked = Map.of(ROLE, held);
      seq += 1000;
      inFlight = false;
      restarted = true;
    }

    private UsageSummary usage() {
      return new UsageSummary(Resources.NONE, Resources.NONE, held.isEmpty() ? Map.of() : Map.of(ROLE, held),
          wantsMore ? Set.of(ROLE) : Set.of());
    }
  }
}
