package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.Map;
import java.util.Objects;

/**
 * A shard as every reader of the summaries' log agrees it stands: its latest summary, the claims that hold,
 * the log position of that summary, and the position of its last summary that asked for a raise (held or not).
 */
public record ShardView(ShardSummary summary, Map<String, Resources> committed, long offset, long raiseAskedAt) {

  public ShardView {
    Objects.requireNonNull(summary, "summary");
    committed = Map.copyOf(committed);
  }

  public String shard() {
    return summary.shard();
  }

  public Resources committed(String role) {
    return committed.getOrDefault(role, Resources.NONE);
  }
}
