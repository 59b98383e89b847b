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
 * @param maxOffersPerFramework the most offers one framework holds unanswered from this core (one shard): a round
 *     offers a framework at this limit nothing more, so the offers it is sent keep pace with the answers it gives
 *     (see decision 0021)
 * @param minOffersPerFramework the least that limit shrinks to for a framework that leaves its offers unused
 *     (declines them or lets them expire); equal to {@code maxOffersPerFramework} the limit is fixed (see
 *     {@link OfferWindow} and decision 0023)
 */
public record AllocatorConfig(Duration offerTimeout, Duration defaultRefuse, Resources minAllocatable,
    String offerIdPrefix, int maxOffersPerFramework, int minOffersPerFramework) {

  /**
   * Offers outstanding to one framework from one shard, by default. Enough for a framework to launch on 16 agents per
   * shard at once (64 agents with 4 shards), and few enough that one framework's revive in a cluster of thousands of
   * free agents costs tens of offers and declines, not thousands.
   */
  public static final int DEFAULT_MAX_OFFERS_PER_FRAMEWORK = 16;

  /**
   * The least a framework that leaves its offers unused is still offered per shard, by default: one, so that a
   * framework that holds what it needs and declines the rest is sent one offer at a time, not a burst it declines.
   */
  public static final int DEFAULT_MIN_OFFERS_PER_FRAMEWORK = 1;

  public AllocatorConfig(Duration offerTimeout, Duration defaultRefuse, Resources minAllocatable,
      String offerIdPrefix) {
    this(offerTimeout, defaultRefuse, minAllocatable, offerIdPrefix, DEFAULT_MAX_OFFERS_PER_FRAMEWORK,
        DEFAULT_MIN_OFFERS_PER_FRAMEWORK);
  }

  public AllocatorConfig {
    Objects.requireNonNull(offerIdPrefix, "offerIdPrefix");
    Objects.requireNonNull(minAllocatable, "minAllocatable");
    if (offerTimeout.isNegative() || offerTimeout.isZero()) {
      throw new IllegalArgumentException("offerTimeout must be positive, got " + offerTimeout);
    }
    if (defaultRefuse.isNegative()) {
      throw new IllegalArgumentException("defaultRefuse must not be negative, got " + defaultRefuse);
    }
    if (maxOffersPerFramework < 1) {
      throw new IllegalArgumentException("maxOffersPerFramework must be at least 1, got " + maxOffersPerFramework);
    }
    if (minOffersPerFramework < 1 || minOffersPerFramework > maxOffersPerFramework) {
      throw new IllegalArgumentException("minOffersPerFramework must be between 1 and maxOffersPerFramework ("
          + maxOffersPerFramework + "), got " + minOffersPerFramework);
    }
  }

  /** A fixed limit of offers outstanding to one framework from this core, as decision 0021 had it. */
  public AllocatorConfig withMaxOffersPerFramework(int max) {
    return withOfferWindow(max, max);
  }

  /** A limit that moves between {@code min} and {@code max} with what the framework does with its offers. */
  public AllocatorConfig withOfferWindow(int min, int max) {
    return new AllocatorConfig(offerTimeout, defaultRefuse, minAllocatable, offerIdPrefix, max, min);
  }

  /** The rule that moves each framework's limit. */
  public OfferWindow offerWindow() {
    return new OfferWindow(minOffersPerFramework, maxOffersPerFramework);
  }

  /**
   * Offers live 30 s, declines refuse for 5 s, anything from 0.01 cpus or 32 MiB is worth offering, and a framework
   * holds 1 to 16 offers per shard unanswered (16 while it uses them).
   */
  public static AllocatorConfig defaults() {
    return new AllocatorConfig(Duration.ofSeconds(30), Duration.ofSeconds(5), Resources.of(0.01, 32), "o-");
  }

  boolean isAllocatable(Resources free) {
    return free.cpus() >= minAllocatable.cpus() || free.mem() >= minAllocatable.mem();
  }
}
