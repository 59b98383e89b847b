package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the allocator core.
 *
 * @param offerTimeout how long an offer stays outstanding before it is rescinded
 * @param defaultRefuse how long a declined agent is withheld from the framework when the decline names no time
 * @param minAllocatable the smallest free amount worth offering: an offer needs at least these cpus or this mem
 * @param offerIdPrefix makes offer ids unique across allocator instances (for example one per shard)
 */
public record AllocatorConfig(
    Duration offerTimeout, Duration defaultRefuse, Resources minAllocatable, String offerIdPrefix) {

  public AllocatorConfig {
    Objects.requireNonNull(offerIdPrefix, "offerIdPrefix");
    Objects.requireNonNull(minAllocatable, "minAllocatable");
    if (offerTimeout.isNegative() || offerTimeout.isZero()) {
      throw new IllegalArgumentException("offerTimeout must be positive, got " + offerTimeout);
    }
    if (defaultRefuse.isNegative()) {
      throw new IllegalArgumentException("defaultRefuse must not be negative, got " + defaultRefuse);
    }
  }

  /** Offers live 30 s, declines refuse for 5 s, and anything from 0.01 cpus or 32 MiB is worth offering. */
  public static AllocatorConfig defaults() {
    return new AllocatorConfig(Duration.ofSeconds(30), Duration.ofSeconds(5), Resources.of(0.01, 32), "o-");
  }

  boolean isAllocatable(Resources free) {
    return free.cpus() >= minAllocatable.cpus() || free.mem() >= minAllocatable.mem();
  }
}
