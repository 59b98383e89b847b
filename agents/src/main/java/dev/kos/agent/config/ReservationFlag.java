package dev.kos.agent.config;

import dev.kos.agent.model.ResourceSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses static reservations, one {@code --reserve 'ROLE=cpus:2;mem:4096'} per role: resources
 * set aside on this agent for one role. A resource the entry leaves out is not reserved.
 */
public final class ReservationFlag {
  private ReservationFlag() {
  }

  public static Map<String, ResourceSet> parse(List<String> flags) {
    Map<String, ResourceSet> reservations = new LinkedHashMap<>();
    for (String flag : flags) {
      int equals = flag.indexOf('=');
      String role = equals < 0 ? "" : flag.substring(0, equals).trim();
      if (role.isEmpty()) {
        throw new IllegalArgumentException("invalid --reserve '" + flag + "': expected ROLE=RESOURCES, "
            + "e.g. spark=cpus:2;mem:4096");
      }
      ResourceSet resources;
      try {
        resources = ResourceFlag.parseExact(flag.substring(equals + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("invalid --reserve for role " + role + ": " + e.getMessage(), e);
      }
      if (reservations.put(role, resources) != null) {
        throw new IllegalArgumentException("invalid --reserve: role " + role + " is given twice");
      }
    }
    return Collections.unmodifiableMap(reservations);
  }
}
