package dev.kos.bus.access;

import java.util.Collection;
import java.util.Optional;

/**
 * The one place that decides whether a principal may do what a request asks: every route and every command kind
 * states the {@link Permission}s it needs, and this says which one, if any, is missing. Pure.
 */
public final class Access {

  private Access() {
  }

  /** Why the principal may not do this, naming the first missing permission; empty when it may. */
  public static Optional<String> denies(Principal principal, Collection<Permission> needed) {
    for (Permission permission : needed) {
      if (principal.grants().stream().noneMatch(permission::heldBy)) {
        return Optional.of("principal " + principal.name() + " lacks the permission " + permission.describe()
            + " (it has " + (principal.grants().isEmpty() ? "none" : principal.grantsText()) + ")");
      }
    }
    return Optional.empty();
  }
}
