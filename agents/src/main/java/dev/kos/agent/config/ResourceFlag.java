package dev.kos.agent.config;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --resources 'cpus:4;mem:8192;disk:20000;ports:[31000-32000,33000-33010]'}.
 * A resource the flag leaves out comes from the host. Errors name the offending part.
 */
public final class ResourceFlag {
  private ResourceFlag() {
  }

  public static ResourceSet parse(String flag, HostResources host) {
    return parse(flag, new ResourceSet(host.cores(), host.memMb(), host.diskMb(), List.of(HostResources.DEFAULT_PORTS)));
  }

  /** Parses exactly what the flag says: a resource it leaves out is zero (no ports), as a reservation wants. */
  public static ResourceSet parseExact(String flag) {
    return parse(flag, new ResourceSet(0, 0, 0, List.of()));
  }

  private static ResourceSet parse(String flag, ResourceSet defaults) {
    Map<String, String> entries = entries(flag == null ? "" : flag);
    double cpus = scalar(entries, "cpus", defaults.cpus());
    double mem = scalar(entries, "mem", defaults.memMb());
    double disk = scalar(entries, "disk", defaults.diskMb());
    List<PortRange> ports = entries.containsKey("ports") ? ports(entries.get("ports")) : defaults.ports();
    return new ResourceSet(cpus, mem, disk, ports);
  }

  private static Map<String, String> entries(String flag) {
    Map<String, String> entries = new HashMap<>();
    for (String part : flag.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int colon = part.indexOf(':');
      if (colon < 0) {
        throw invalid(part, "expected name:value");
      }
      String name = part.substring(0, colon).trim();
      if (!List.of("cpus", "mem", "disk", "ports").contains(name)) {
        throw invalid(part, "unknown resource '" + name + "' (known: cpus, mem, disk, ports)");
      }
      if (entries.put(name, part.substring(colon + 1).trim()) != null) {
        throw invalid(part, "'" + name + "' is given twice");
      }
    }
    return entries;
  }

  private static double scalar(Map<String, String> entries, String name, double hostDefault) {
    String value = entries.get(name);
    if (value == null) {
      return hostDefault;
    }
    try {
      double parsed = Double.parseDouble(value);
      if (!(parsed >= 0) || Double.isInfinite(parsed)) {
        throw invalid(name + ":" + value, "must be a finite number >= 0");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw invalid(name + ":" + value, "not a number");
    }
  }

  private static List<PortRange> ports(String value) {
    if (!value.startsWith("[") || !value.endsWith("]")) {
      throw invalid("ports:" + value, "expected ports:[begin-end,...]");
    }
    List<PortRange> ranges = new ArrayList<>();
    String inner = value.substring(1, value.length() - 1);
    for (String range : inner.split(",")) {
      if (!range.isBlank()) {
        ranges.add(portRange(range.trim()));
      }
    }
    return ranges;
  }

  private static PortRange portRange(String range) {
    String[] bounds = range.split("-", -1);
    try {
      int begin = Integer.parseInt(bounds[0].trim());
      int end = bounds.length == 1 ? begin : Integer.parseInt(bounds[1].trim());
      if (bounds.length > 2) {
        throw invalid("ports range " + range, "expected begin-end");
      }
      return new PortRange(begin, end);
    } catch (NumberFormatException e) {
      throw invalid("ports range " + range, "not a number");
    } catch (IllegalArgumentException e) {
      throw invalid("ports range " + range, e.getMessage());
    }
  }

  private static IllegalArgumentException invalid(String part, String why) {
    return new IllegalArgumentException("invalid --resources entry '" + part + "': " + why);
  }
}
