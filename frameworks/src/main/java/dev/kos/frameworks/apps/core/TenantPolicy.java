package dev.kos.frameworks.apps.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who may do what: each principal may act on apps under its id prefixes and run them in its roles.
 * Without a policy ({@link #OPEN}) everyone may do everything.
 *
 * <p>Format (a properties file; a principal may contain dots):
 * <pre>
 * principal.alice.roles=web
 * principal.alice.prefixes=/team-a/
 * principal.ops.roles=web, batch, *
 * principal.ops.prefixes=/
 * </pre>
 * Both keys are required for each principal; values are comma-separated; a prefix starts and ends with
 * {@code /} ({@code /} alone means every app); roles are literal ({@code *} is the default role, not a wildcard).
 */
public record TenantPolicy(Map<String, Tenant> tenants, boolean open) {

  public static final TenantPolicy OPEN = new TenantPolicy(Map.of(), true);

  private static final String PREFIX = "principal.";
  private static final String ROLES = ".roles";
  private static final String PREFIXES = ".prefixes";

  public TenantPolicy {
    tenants = Map.copyOf(tenants);
  }

  /** One principal's allowance. */
  public record Tenant(Set<String> roles, List<String> prefixes) {

    public Tenant {
      roles = Set.copyOf(roles);
      prefixes = List.copyOf(prefixes);
    }

    boolean owns(String appId) {
      return prefixes.stream().anyMatch(prefix -> (appId + "/").startsWith(prefix));
    }
  }

  /** Why {@code principal} may not act on {@code appId} (running it in {@code role}, if given), if it may not. */
  public Optional<String> denies(String principal, String appId, Optional<String> role) {
    if (open) {
      return Optional.empty();
    }
    Tenant tenant = tenants.get(principal);
    if (tenant == null) {
      return Optional.of("principal " + principal + " is not in the tenant policy; ask an operator to add it");
    }
    if (!tenant.owns(appId)) {
      return Optional.of("principal " + principal + " may not act on " + appId + ": its apps are under "
          + String.join(", ", tenant.prefixes()));
    }
    return role.filter(r -> !tenant.roles().contains(r))
        .map(r -> "principal " + principal + " may not run apps in role " + r + ": it may use roles "
            + String.join(", ", new TreeSet<>(tenant.roles())));
  }

  /** Parses the format above; a mistake throws with the key and what is wrong. */
  public static TenantPolicy parse(Properties properties) {
    Map<String, String> roles = new TreeMap<>();
    Map<String, String> prefixes = new TreeMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      String value = properties.getProperty(key);
      if (key.startsWith(PREFIX) && key.endsWith(ROLES) && key.length() > PREFIX.length() + ROLES.length()) {
        roles.put(key.substring(PREFIX.length(), key.length() - ROLES.length()), value);
      } else if (key.startsWith(PREFIX) && key.endsWith(PREFIXES)
          && key.length() > PREFIX.length() + PREFIXES.length()) {
        prefixes.put(key.substring(PREFIX.length(), key.length() - PREFIXES.length()), value);
      } else {
        throw new IllegalArgumentException("tenant policy: unknown key " + key
            + "; expected principal.<name>.roles or principal.<name>.prefixes");
      }
    }
    Map<String, Tenant> tenants = new TreeMap<>();
    Set<String> principals = new TreeSet<>(roles.keySet());
    principals.addAll(prefixes.keySet());
    for (String principal : principals) {
      tenants.put(principal, new Tenant(Set.copyOf(list(PREFIX + principal + ROLES, roles.get(principal))),
          checkedPrefixes(PREFIX + principal + PREFIXES, prefixes.get(principal))));
    }
    return new TenantPolicy(tenants, false);
  }

  private static List<String> checkedPrefixes(String key, String value) {
    List<String> out = list(key, value);
    for (String prefix : out) {
      if (!prefix.startsWith("/") || !prefix.endsWith("/")) {
        throw new IllegalArgumentException("tenant policy: " + key + ": prefix \"" + prefix
            + "\" must start and end with / (like /team-a/)");
      }
    }
    return out;
  }

  private static List<String> list(String key, String value) {
    if (value == null) {
      throw new IllegalArgumentException("tenant policy: " + key + " is missing");
    }
    List<String> out = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        out.add(item.trim());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("tenant policy: " + key + " is empty");
    }
    return out;
  }
}
