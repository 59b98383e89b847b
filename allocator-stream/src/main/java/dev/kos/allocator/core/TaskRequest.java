package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.Objects;

/** A task a framework wants to launch on accepted offers, with the resources it will use. */
public record TaskRequest(String taskId, Resources resources) {

  public TaskRequest {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(resources, "resources");
  }
}
