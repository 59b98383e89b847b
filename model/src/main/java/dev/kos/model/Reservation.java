package dev.kos.model;

import java.util.Objects;

/** Resources on an agent set aside for one role (with their ports). */
public record Reservation(String role, Resources resources) {

  public Reservation {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(resources, "resources");
  }
}
