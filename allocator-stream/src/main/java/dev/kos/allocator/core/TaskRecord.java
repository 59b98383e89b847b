package dev.kos.allocator.core;

import dev.kos.model.Resources;
/** A running task and the pools its resources came from, so that releasing it puts them back exactly. */
record TaskRecord(String taskId, String frameworkId, String role, String agentId, Resources resources,
         Resources reserved, Resources unreserved) {

  Launch asLaunch() {
    return new Launch(taskId, frameworkId, role, agentId, resources);
  }
}
