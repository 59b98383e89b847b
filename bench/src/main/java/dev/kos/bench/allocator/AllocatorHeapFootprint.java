package dev.kos.bench.allocator;

import static dev.kos.bench.HeapMeter.usedHeapAfterGc;

import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.Offer;
import dev.kos.model.Resources;
import dev.kos.allocator.core.TaskRequest;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.List;

/**
 * Retained heap per agent, per outstanding offer and per running task, measured as the growth of used heap
 * after full collections while {@code n} of each are alive. Approximate (the JVM does not promise that
 * {@code System.gc()} collects everything), so it sweeps sizes: the figures should agree across them.
 */
public final class AllocatorHeapFootprint {

  private static final int FRAMEWORKS = 100;
  private static final int ROLES = 10;

  private AllocatorHeapFootprint() {
  }

  public static void main(String[] args) {
    int[] sizes = args.length == 0 ? new int[] {10_000, 100_000} : parse(args);
    for (int agents : sizes) {
      measure(agents);
    }
  }

  static void measure(int agents) {
    long empty = usedHeapAfterGc();
    Allocator allocator = AllocatorFixtures.cluster(agents, FRAMEWORKS, ROLES);
    long withAgents = usedHeapAfterGc();
    int offers = allocator.allocate(AllocatorFixtures.START).offers().size();
    long withOffers = usedHeapAfterGc();
    long tasks = launchOneTaskPerOffer(allocator);
    // Used offers stay queued for expiry until their timeout; expiring them leaves only the tasks.
    allocator.expireOffers(AllocatorFixtures.START.plus(Duration.ofHours(1)));
    long withTasks = usedHeapAfterGc();
    if (offers != agents || tasks != agents) {
      throw new IllegalStateException("expected one offer and one task per agent, got " + offers
          + " offers and " + tasks + " tasks on " + agents + " agents");
    }
    System.out.printf("heap footprint agents=%d frameworks=%d roles=%d: %d bytes/agent, %d bytes/offer,"
            + " %d bytes/running task%n",
        agents, FRAMEWORKS, ROLES, (withAgents - empty) / agents, (withOffers - withAgents) / offers,
        (withTasks - withAgents) / tasks);
    Reference.reachabilityFence(allocator);
  }

  private static long launchOneTaskPerOffer(Allocator allocator) {
    long launched = 0;
    int task = 0;
    for (Offer offer : allocator.outstandingOffers()) {
      launched += allocator.accept(offer.frameworkId(), List.of(offer.offerId()),
          List.of(new TaskRequest("t" + task++, Resources.of(1, 1024)))).launches().size();
    }
    return launched;
  }


  private static int[] parse(String[] args) {
    int[] sizes = new int[args.length];
    for (int i = 0; i < args.length; i++) {
      sizes[i] = Integer.parseInt(args[i]);
    }
    return sizes;
  }
}
