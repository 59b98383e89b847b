package dev.kos.model;

import java.util.Objects;

/**
 * Cpus (cores), mem and disk (MiB) and ports. Scalars are rounded to three decimals, as Mesos does,
 * so that long chains of additions and subtractions cannot drift and over-allocate by a rounding error;
 * on that grid an exact comparison is also a tolerant one (no 1e-9 slack is needed in {@link #containsAll}).
 * Scalars are finite and at least 0: a negative amount is an input error, reported where it is read.
 */
public record Resources(double cpus, double mem, double disk, Ports ports) {

  public static final Resources NONE = new Resources(0, 0, 0, Ports.NONE);

  public Resources {
    cpus = scalar("cpus", cpus);
    mem = scalar("mem", mem);
    disk = scalar("disk", disk);
    Objects.requireNonNull(ports, "ports");
  }

  public static Resources of(double cpus, double mem) {
    return new Resources(cpus, mem, 0, Ports.NONE);
  }

  public static Resources of(double cpus, double mem, double disk) {
    return new Resources(cpus, mem, disk, Ports.NONE);
  }

  public Resources withPorts(Ports newPorts) {
    return new Resources(cpus, mem, disk, newPorts);
  }

  /** These resources without ports: what cluster-wide sums and shares count, since ports are per agent. */
  public Resources scalars() {
    return ports.isEmpty() ? this : new Resources(cpus, mem, disk, Ports.NONE);
  }

  public boolean isEmpty() {
    return cpus == 0 && mem == 0 && disk == 0 && ports.isEmpty();
  }

  public Resources plus(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    return new Resources(cpus + other.cpus, mem + other.mem, disk + other.disk, ports.plus(other.ports));
  }

  /** Subtracts, stopping at zero: what is left of these resources once {@code other} is taken out. */
  public Resources minus(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    if (other == this) {
      // An offer usually takes an agent's whole free pool: skip the arithmetic and the port merge.
      return NONE;
    }
    return new Resources(
        Math.max(0, cpus - other.cpus),
        Math.max(0, mem - other.mem),
        Math.max(0, disk - other.disk),
        ports.minus(other.ports));
  }

  public boolean containsAll(Resources other) {
    return cpus >= other.cpus && mem >= other.mem && disk >= other.disk && ports.containsAll(other.ports);
  }

  /** The part of these resources also present in {@code other}: scalar minimums and common ports. */
  public Resources commonWith(Resources other) {
    return new Resources(
        Math.min(cpus, other.cpus),
        Math.min(mem, other.mem),
        Math.min(disk, other.disk),
        ports.intersect(other.ports));
  }

  /** Caps the scalars at {@code cap}'s; ports are not capped because quotas count only scalars. */
  public Resources scalarsCappedBy(Resources cap) {
    return new Resources(Math.min(cpus, cap.cpus), Math.min(mem, cap.mem), Math.min(disk, cap.disk), ports);
  }

  /** The scalars divided by {@code parts}, without ports: an equal part of a cluster-wide amount. */
  public Resources scalarsDividedBy(int parts) {
    return new Resources(cpus / parts, mem / parts, disk / parts, Ports.NONE);
  }

  /** The scalars raised to at least {@code floor}'s; ports are kept. */
  public Resources scalarsAtLeast(Resources floor) {
    return new Resources(Math.max(cpus, floor.cpus), Math.max(mem, floor.mem), Math.max(disk, floor.disk), ports);
  }

  /** The largest fraction of {@code total} these resources take in any scalar that {@code total} has. */
  public double dominantShare(Resources total) {
    return Math.max(share(cpus, total.cpus), Math.max(share(mem, total.mem), share(disk, total.disk)));
  }

  @Override
  public String toString() {
    return "{cpus=" + cpus + ", mem=" + mem + "MiB, disk=" + disk + "MiB"
        + (ports.isEmpty() ? "" : ", ports=" + ports) + "}";
  }

  /** The amount as a person reads it in a message: "1 cpus, 64 MiB mem, 0 MiB disk" (and the ports, if any). */
  public String describe() {
    return number(cpus) + " cpus, " + number(mem) + " MiB mem, " + number(disk) + " MiB disk"
        + (ports.isEmpty() ? "" : ", ports " + ports);
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  private static double share(double part, double whole) {
    return whole > 0 ? part / whole : 0;
  }

  private static double scalar(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
    }
    return Math.round(value * 1000) / 1000.0;
  }
}
