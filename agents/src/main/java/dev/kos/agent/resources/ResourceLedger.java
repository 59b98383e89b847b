package dev.kos.agent.resources;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent has and what its tasks hold. {@link #reserve} answers with the reason a task does
 * not fit, or reserves it; a tiny epsilon absorbs floating-point sums of fractional cpus.
 */
public final class ResourceLedger {
  private static final double EPSILON = 1e-9;
  private final ResourceSet total;
  private final Map<String, ResourceSet> held = new HashMap<>();

  public ResourceLedger(ResourceSet total) {
    this.total = total;
  }

  public synchronized Optional<String> reserve(String taskId, ResourceSet wanted) {
    if (held.containsKey(taskId)) {
      return Optional.of("task " + taskId + " already holds resources on this agent");
    }
    ResourceSet used = used();
    List<String> shortfalls = new ArrayList<>();
    checkScalar(shortfalls, "cpus", wanted.cpus(), total.cpus(), used.cpus());
    checkScalar(shortfalls, "mem", wanted.memMb(), total.memMb(), used.memMb());
    checkScalar(shortfalls, "disk", wanted.diskMb(), total.diskMb(), used.diskMb());
    checkPorts(shortfalls, wanted, usedPorts());
    if (!shortfalls.isEmpty()) {
      return Optional.of("not enough resources on this agent: " + String.join("; ", shortfalls));
    }
    held.put(taskId, wanted);
    return Optional.empty();
  }

  public synchronized void release(String taskId) {
    held.remove(taskId);
  }

  public ResourceSet total() {
    return total;
  }

  public synchronized ResourceSet used() {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    List<PortRange> ports = new ArrayList<>();
    for (ResourceSet resources : held.values()) {
      cpus += resources.cpus();
      mem += resources.memMb();
      disk += resources.diskMb();
      ports.addAll(resources.ports());
    }
    return new ResourceSet(cpus, mem, disk, ports);
  }

  private Set<Integer> usedPorts() {
    Set<Integer> ports = new HashSet<>();
    held.values().forEach(resources -> ports.addAll(resources.portList()));
    return ports;
  }

  private static void checkScalar(List<String> shortfalls, String name, double wanted, double total, double used) {
    double free = total - used;
    if (wanted > free + EPSILON) {
      shortfalls.add(name + " wanted " + wanted + ", free " + free + " of " + total);
    }
  }

  private void checkPorts(List<String> shortfalls, ResourceSet wanted, Set<Integer> inUse) {
    for (int port : wanted.portList()) {
      if (total.ports().stream().noneMatch(range -> range.contains(port))) {
        shortfalls.add("port " + port + " is not in this agent's port ranges " + total.ports());
      } else if (inUse.contains(port)) {
        shortfalls.add("port " + port + " is already used by another task");
      }
    }
  }
}
