package dev.kos.frameworks.jobs.core;

/** Scalar resources: cpus in cores, mem and disk in MiB. */
public record Resources(double cpus, double mem, double disk) {

  public static final Resources NONE = new Resources(0, 0, 0);

  public boolean fits(Resources need) {
    return need.cpus <= cpus && need.mem <= mem && need.disk <= disk;
  }

  public Resources plus(Resources other) {
    return new Resources(cpus + other.cpus, mem + other.mem, disk + other.disk);
  }

  public Resources minus(Resources other) {
    return new Resources(cpus - other.cpus, mem - other.mem, disk - other.disk);
  }

  @Override
  public String toString() {
    return String.format("%s cpus, %s MiB mem, %s MiB disk", number(cpus), number(mem), number(disk));
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
