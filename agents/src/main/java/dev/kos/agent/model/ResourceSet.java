package dev.kos.agent.model;

import dev.kos.model.PortRange;
import java.util.ArrayList;
import java.util.List;

/** Scalar resources (cpus in cores, mem and disk in MiB) and port ranges. */
public record ResourceSet(double cpus, double memMb, double diskMb, List<PortRange> ports) {
  public ResourceSet {
    requireNonNegative("cpus", cpus);
    requireNonNegative("mem", memMb);
    requireNonNegative("disk", diskMb);
    ports = List.copyOf(ports);
  }

  /** Every port of every range, in order: the task's PORT0, PORT1, ... */
  public List<Integer> portList() {
    List<Integer> all = new ArrayList<>();
    for (PortRange range : ports) {
      for (int port = range.begin(); port <= range.end(); port++) {
        all.add(port);
      }
    }
    return List.copyOf(all);
  }

  public long memBytes() {
    return (long) (memMb * 1024 * 1024);
  }

  private static void requireNonNegative(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
    }
  }
}
