package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How an allocator shard shares quota limits with the other shards. When the limit held a role back in a
 * shard's last round (it "wants more"), and it holds the least of the role among the shards that want more
 * (ties by shard id), it claims all that the other shards' claims leave. Otherwise it keeps its claim while no
 * other shard wants more, and gives back all it does not hold once one does. So the quota nobody uses goes whole to one shard at a time, the one with the least, and a role is
 * never stuck with every shard holding a part too small for a task. The {@link ShardLedger} decides which
 * claims hold. A summary's claim either lowers every resource or raises without giving any back, and a shard
 * writes its next summary only once its previous one has come back, so that its own account of its claims, which
 * every reader starts the next summary from, is exact.
 */
public final class LimitClaims {

  private LimitClaims() {
  }

  /**
   * The claims a shard asks for next.
   *
   * @param limits each limited role's limit
   * @param own what the shard holds now, and which roles its last round held back at their limit
   * @param views every shard's view, its own included or not
   */
  public static Map<String, Resources> next(String shard, Map<String, Resources> limits, UsageSummary own,
      Collection<ShardView> views) {
    Map<String, Resources> claims = new HashMap<>();
    ShardView ownView = views.stream().filter(view -> view.shard().equals(shard)).findFirst().orElse(null);
    limits.forEach((role, limit) -> {
      Resources held = own.roleAllocation(role);
      Resources holding = ownView == null ? Resources.NONE : ownView.committed(role);
      Resources claim;
      if (own.wantsMore().contains(role) && leastHeldOfWanting(shard, role, limit, held, views)) {
        Resources othersClaim = Resources.NONE;
        for (ShardView view : views) {
          if (!view.shard().equals(shard)) {
            othersClaim = othersClaim.plus(view.committed(role));
          }
        }
        claim = limit.scalars().minus(othersClaim).scalarsAtLeast(held);
      } else if (othersWantMore(shard, role, views)) {
        claim = held;
      } else {
        claim = holding.scalarsAtLeast(held);
      }
      // Either a lowering or a raise, never a mix: a refused raise then leaves no resource above what the shard
      // may hold while it keeps within what it asked for (see shares).
      claims.put(role, holding.containsAll(claim) ? claim : claim.scalarsAtLeast(holding));
    });
    return claims;
  }

  private static boolean othersWantMore(String shard, String role, Collection<ShardView> views) {
    return views.stream().anyMatch(view -> !view.shard().equals(shard)
        && view.summary().usage().wantsMore().contains(role));
  }

  private static boolean leastHeldOfWanting(String shard, String role, Resources limit, Resources held,
      Collection<ShardView> views) {
    double mine = held.dominantShare(limit);
    for (ShardView view : views) {
      UsageSummary theirs = view.summary().usage();
      if (view.shard().equals(shard) || !theirs.wantsMore().contains(role)) {
        continue;
      }
      double share = theirs.roleAllocation(role).dominantShare(limit);
      if (share < mine || (share == mine && view.shard().compareTo(shard) < 0)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The claims of a shard's first summary after it (re)started: exactly what it holds. Its own claim as the log
   * tells it may be an overestimate (see {@link ShardLedger}), so it must not compute from it; what it holds is
   * within the claim that truly holds, so every reader takes this summary as a lowering and agrees on it.
   */
  public static Map<String, Resources> afterRestart(Map<String, Resources> limits, UsageSummary own) {
    Map<String, Resources> claims = new HashMap<>();
    limits.keySet().forEach(role -> claims.put(role, own.roleAllocation(role)));
    return claims;
  }

  /**
   * What the shard may hold of each limited role now: what its claim holds, and no more than it last asked for
   * (a lowered claim binds from the moment it is published). A role without a holding claim gets nothing.
   */
  public static Map<String, Resources> shares(Map<String, Resources> limits, ShardView own,
      Map<String, Resources> lastAsked) {
    Map<String, Resources> shares = new HashMap<>();
    for (String role : limits.keySet()) {
      Resources committed = own == null ? Resources.NONE : own.committed(role);
      shares.put(role, committed.commonWith(lastAsked.getOrDefault(role, Resources.NONE)));
    }
    return shares;
  }
}
