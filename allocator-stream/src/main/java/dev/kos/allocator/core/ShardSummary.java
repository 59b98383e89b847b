package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.Map;
import java.util.Objects;

/**
 * One allocator shard's account of itself, published for the other shards: what its agents hold, and the part
 * of each limited role's quota it claims.
 *
 * @param shard the shard's id (its partition)
 * @param seq grows with every summary a shard writes, so it can tell when its own summary has come back
 * @param claims per limited role, the most the shard wants to be allowed to hold (offers included)
 * @param committed the shard's own account of its claims that held before this summary: exact, because a shard
 *     writes a summary only once its previous one has come back; readers that missed earlier summaries start
 *     from it
 * @param basedOnOffset the last position of the summaries' log the shard had read when it computed the claims;
 *     a raised claim holds only if no other shard wrote in between (see {@link ShardLedger})
 */
public record ShardSummary(String shard, long seq, UsageSummary usage, Map<String, Resources> claims,
    Map<String, Resources> committed, long basedOnOffset) {

  public ShardSummary {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(usage, "usage");
    claims = Map.copyOf(claims);
    committed = Map.copyOf(committed);
  }
}
