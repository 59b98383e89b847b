package dev.kos.allocator.core;

import dev.kos.model.Resources;
/**
 * The allocator's book of one role: its configuration, the DRF order of its frameworks, and what its
 * tasks hold. What it holds including offers is the role sorter's allocation.
 */
final class RoleState {

  RoleConfig config;
  final DrfSorter frameworks = new DrfSorter();
  Resources allocated = Resources.NONE;
  /** The lowest utilization threshold of this role and of every role of higher or equal priority. */
  double effectiveThreshold = Double.POSITIVE_INFINITY;

  RoleState(RoleConfig config) {
    this.config = config;
  }

  String name() {
    return config.role();
  }
}
