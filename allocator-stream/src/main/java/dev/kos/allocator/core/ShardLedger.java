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
 *   <li>a raised claim holds only if no other shard raised a claim between the position the claim was computed
 *       at and the claim itself, so the others' claims were then no higher than it was computed from:
 *       optimistic concurrency (lowerings in between only leave more room).
 *       A raise never lowers any resource of the claim. A raise that does not hold leaves the claim as it was;
 *       the shard tries again with its next summary.</li>
 * </ul>
 *
 * A reader that starts late reads a compacted log, in which some summaries are gone. It starts each shard from
 * the shard's own account in its first summary it sees, and may let a raise hold that live readers refused
 * (the other shards' raises in between are gone). Because raises never lower, and a summary never mixes a
 * raise with a lowering ({@link LimitClaims}), such a reader can only overestimate a claim, never underestimate
 * it: safe for its own decisions. A restarting shard therefore does not trust its own
 * claim from the log; it claims no more than it holds until its first summary comes back.
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
        .allMatch(view -> view.raisedAt() <= summary.basedOnOffset());
    Map<String, Resources> before = previous == null ? summary.committed() : previous.committed();
    Map<String, Resources> committed = new HashMap<>();
    boolean raised = false;
    for (Map.Entry<String, Resources> claim : summary.claims().entrySet()) {
      Resources held = before.getOrDefault(claim.getKey(), Resources.NONE);
      Resources requested = claim.getValue();
      if (held.containsAll(requested)) {
        committed.put(claim.getKey(), requested);
      } else if (othersQuiet) {
        committed.put(claim.getKey(), requested.scalarsAtLeast(held));
        raised = true;
      } else {
        committed.put(claim.getKey(), held);
      }
    }
    long raisedAt = raised ? offset : previous == null ? -1 : previous.raisedAt();
    return new ShardView(summary, committed, offset, raisedAt);
  }
}
