package dev.kos.allocator.core;

/**
 * How many offers one framework may hold unanswered from one core (one shard), and how that number moves with what
 * the framework does with its offers (decision 0023). It starts at {@code max}, so a framework that launches on
 * every offer is offered as much as decision 0021 allowed; each offer it leaves unused (declines, or lets expire)
 * halves it, down to {@code min}; each accept that launches on at least half of what it was offered
 * ({@link #FILLED}, in the offer's dominant resource) doubles it again, up to {@code max}. An accept that takes less
 * leaves it: a framework that does not fill the offers it has needs no more of them at once.
 *
 * <p>Why: a framework that revives to get one more offer was offered up to {@code max} agents per shard, used one
 * and declined the rest, and every decline is a record on {@code kos.accepts} and its offer one on {@code kos.offers}
 * and two on the offers changelog. A framework whose offers go unused is offered fewer; one that uses them gets back
 * to {@code max} within a few accepts. With {@code min == max} the window is the fixed limit of decision 0021.
 *
 * <p>Pure: a value of the rule, applied by the core to each framework's current window.
 */
public record OfferWindow(int min, int max) {

  /** The share of an offer (its dominant resource) an accept must launch on for the window to grow. */
  public static final double FILLED = 0.5;

  public OfferWindow {
    if (min < 1 || max < min) {
      throw new IllegalArgumentException("an offer window needs 1 <= min <= max, got min " + min + ", max " + max);
    }
  }

  /** A fixed limit: the window never moves. */
  public static OfferWindow fixed(int limit) {
    return new OfferWindow(limit, limit);
  }

  /** A framework new to this core may hold {@code max}: nothing it did says it needs less. */
  public int initial() {
    return max;
  }

  /**
   * After an accept that launched tasks taking {@code shareUsed} of what its offers held (dominant resource, 0..1):
   * a framework that fills what it is offered may hold twice as many; one that takes a small part of an offer, as a
   * framework holding offers for the next few tasks does, keeps its window, so that it is not sent more offers than
   * it uses and declines the rest.
   */
  public int afterLaunch(int window, double shareUsed) {
    return shareUsed >= FILLED ? (int) Math.min(max, 2L * clamp(window)) : clamp(window);
  }

  /** After an offer it left unused (declined, or held until it expired): it may hold half as many. */
  public int afterUnused(int window) {
    return Math.max(min, clamp(window) / 2);
  }

  private int clamp(int window) {
    return Math.max(min, Math.min(max, window));
  }
}
