package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides which quota claims hold, the same way in every reader, because every reader applies the summaries'
 * one-partition log in the same order. Together with {@link LimitClaims} it keeps the claims of all shards
 * within each limit without any shard waiting for another:
 *
 * <ul>
 *   <li>a lowered claim holds at once (the shard already keeps within it when it publishes);</li>
 *   <li>a raised claim holds only if no other shard <em>asked</em> for a raise between the position the claim
 *       was computed at and the claim itself, so the others' claims were then no higher than it was computed
 *       from: optimistic concurrency (lowerings in between only leave more room). A raise that does not hold
 *       leaves the claim as it was; the shard tries again with its next summary.</li>
 * </ul>
 *
 * Each decision reads only the summaries themselves: the claim a summary starts from is its writer's own
 * account ({@link ShardSummary#committed()}), and whether a summary asks for a raise is a matter of its own
 * fields, never of how another raise was decided. That is what keeps a reader that starts late safe. It reads
 * a compacted log, in which some summaries are gone; missing a request for a raise, it may let a raise hold that
 * live readers refused, so it can only overestimate another shard's claim, never underestimate it, and the error
 * goes no further than that one claim, which the shard's next summary puts right. (An earlier version let a raise
 * hold only if no raise <em>held</em> in between; a late reader's overestimate then made it refuse a later raise
 * that live readers let hold, an underestimate: jqwik found it.) A restarting shard does not trust its own claim
 * from the log; it claims no more than it holds until its first summary comes back.
 */
public final class ShardLedger {

  private ShardLedger() {
  }

  /**
   * The view of {@code summary}'s shard once the summary at {@code offset} is applied, given every shard's
   * current view. A summary at or before the shard's last applied position is a replay and changes nothing.
   */
  public static ShardView apply(Map<String, ShardView> views, ShardSummary summary, long offset) {
    ShardView previous = views.get(summary.shard());
    if (previous != null && offset <= previous.offset()) {
      return previous;
    }
    boolean othersQuiet = views.values().stream()
        .filter(view -> !view.shard().equals(summary.shard()))
        .allMatch(view -> view.raiseAskedAt() <= summary.basedOnOffset());
    Map<String, Resources> committed = new HashMap<>();
    for (Map.Entry<String, Resources> claim : summary.claims().entrySet()) {
      Resources held = summary.committed().getOrDefault(claim.getKey(), Resources.NONE);
      Resources requested = claim.getValue();
      if (held.containsAll(requested)) {
        committed.put(claim.getKey(), requested);
      } else if (othersQuiet) {
        committed.put(claim.getKey(), requested.scalarsAtLeast(held));
      } else {
        committed.put(claim.getKey(), held);
      }
    }
    long raiseAskedAt = asksForRaise(summary) ? offset : previous == null ? -1 : previous.raiseAskedAt();
    return new ShardView(summary, committed, offset, raiseAskedAt);
  }

  /** Whether the summary asks for more of any role than its writer's own account says it holds. */
  static boolean asksForRaise(ShardSummary summary) {
    return summary.claims().entrySet().stream().anyMatch(claim ->
        !summary.committed().getOrDefault(claim.getKey(), Resources.NONE).containsAll(claim.getValue()));
  }
}
