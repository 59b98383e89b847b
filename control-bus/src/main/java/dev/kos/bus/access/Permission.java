package dev.kos.bus.access;

import java.util.Optional;

/**
 * What a request needs: a verb, and where. A role-scoped permission ({@code operate} in role {@code web}) is held by a
 * grant in that role or in {@value Grant#ALL_ROLES}; a cluster-wide one only by a grant in {@value Grant#ALL_ROLES};
 * one in any role ({@link #anyRole}) by a grant of that verb in some role.
 */
public record Permission(Verb verb, Scope scope, Optional<String> role) {

  public enum Scope { ANY_ROLE, ROLE, CLUSTER }

  public static Permission anyRole(Verb verb) {
    return new Permission(verb, Scope.ANY_ROLE, Optional.empty());
  }

  public static Permission inRole(Verb verb, String role) {
    return new Permission(verb, Scope.ROLE, Optional.of(role));
  }

  public static Permission cluster(Verb verb) {
    return new Permission(verb, Scope.CLUSTER, Optional.empty());
  }

  boolean heldBy(Grant grant) {
    if (!grant.verb().includes(verb)) {
      return false;
    }
    return switch (scope) {
      case ANY_ROLE -> true;
      case ROLE -> grant.coversRole(role.orElseThrow());
      case CLUSTER -> grant.coversCluster();
    };
  }

  /** As a person reads it: {@code operate in role web}, {@code admin on the cluster}, {@code view}. */
  public String describe() {
    return switch (scope) {
      case ANY_ROLE -> verb.word() + " in some role";
      case ROLE -> verb.word() + " in role " + role.orElseThrow();
      case CLUSTER -> verb.word() + " on the cluster (" + Grant.ALL_ROLES + ":" + verb.word() + ")";
    };
  }
}
