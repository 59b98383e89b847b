package dev.kos.model;

import java.util.Objects;

/**
 * A persistent volume: disk reserved for a role that outlives the tasks using it.
 *
 * @param containerPath where tasks see it, relative to their sandbox
 */
public record Volume(String persistenceId, String role, double sizeMb, String containerPath) {

  public Volume {
    Objects.requireNonNull(persistenceId, "persistenceId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(containerPath, "containerPath");
  }
}
