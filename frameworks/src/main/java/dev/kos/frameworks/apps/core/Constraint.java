package dev.kos.frameworks.apps.core;

import java.util.Optional;

/** A placement constraint on {@code hostname} (the agent's hostname) or on an agent attribute. */
public record Constraint(String field, Operator operator, Optional<String> value) {

  public static final String HOSTNAME = "hostname";

  public enum Operator { UNIQUE, CLUSTER, GROUP_BY, MAX_PER, LIKE, UNLIKE }

  public static Constraint of(String field, Operator operator) {
    return new Constraint(field, operator, Optional.empty());
  }

  public static Constraint of(String field, Operator operator, String value) {
    return new Constraint(field, operator, Optional.of(value));
  }

  /** How rules and reasons name this constraint, e.g. {@code MAX_PER rack:2}. */
  public String label() {
    return operator + " " + field + value.map(v -> ":" + v).orElse("");
  }
}
