package dev.kos.bus.framework;

import dev.kos.schema.FrameworkInfo;
import java.util.Comparator;
import java.util.Optional;

/**
 * Which running instance of a framework is the framework: the one with the newest registration, as Kafka
 * fences a zombie producer by its epoch. Each instance registers one epoch above the highest registration
 * of its id it finds on {@code kos.frameworks}; an instance that then sees a newer registration of its id
 * has been replaced and stops acting. Two instances that started at once and chose the same epoch are
 * told apart by their random incarnation ids: the higher one wins, and both see the same two records, so
 * both agree. The allocator needs only the epoch: it ignores an accept whose epoch is below the latest
 * registration's.
 */
public record FrameworkEpoch(long epoch, String incarnation) {

  private static final Comparator<FrameworkEpoch> ORDER = Comparator.comparingLong(FrameworkEpoch::epoch)
      .thenComparing(FrameworkEpoch::incarnation);

  public FrameworkEpoch {
    incarnation = incarnation == null ? "" : incarnation;
  }

  /** The epoch of an instance starting now, above {@code latest}, the last registration of its id if any. */
  public static FrameworkEpoch after(Optional<FrameworkInfo> latest, String incarnation) {
    return new FrameworkEpoch(latest.map(info -> info.getEpoch() + 1).orElse(1L), incarnation);
  }

  public static FrameworkEpoch of(FrameworkInfo info) {
    return new FrameworkEpoch(info.getEpoch(), info.getIncarnation());
  }

  /** Whether {@code seen} (a registration of the same framework id) replaces this instance. */
  public boolean isReplacedBy(FrameworkEpoch seen) {
    return ORDER.compare(seen, this) > 0;
  }
}
