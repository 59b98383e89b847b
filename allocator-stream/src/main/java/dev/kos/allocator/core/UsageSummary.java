package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a set of agents holds, in cluster-wide scalars: their total, what their tasks hold, what each role
 * holds there with its offers included (the amount DRF, guarantees and limits count), and the roles whose
 * quota limit held them back in the last allocation round there.
 */
public record UsageSummary(Resources total, Resources allocated, Map<String, Resources> roleAllocation,
    Set<String> wantsMore) {

  public static final UsageSummary NONE = new UsageSummary(Resources.NONE, Resources.NONE, Map.of(), Set.of());

  public UsageSummary {
    total = Objects.requireNonNull(total, "total").scalars();
    allocated = Objects.requireNonNull(allocated, "allocated").scalars();
    roleAllocation = Map.copyOf(roleAllocation);
    wantsMore = Set.copyOf(wantsMore);
  }

  public Resources roleAllocation(String role) {
    return roleAllocation.getOrDefault(role, Resources.NONE);
  }

  public UsageSummary plus(UsageSummary other) {
    Map<String, Resources> roles = new HashMap<>(roleAllocation);
    other.roleAllocation.forEach((role, held) -> roles.merge(role, held, Resources::plus));
    Set<String> wanting = new HashSet<>(wantsMore);
    wanting.addAll(other.wantsMore);
    return new UsageSummary(total.plus(other.total), allocated.plus(other.allocated), roles, wanting);
  }
}
