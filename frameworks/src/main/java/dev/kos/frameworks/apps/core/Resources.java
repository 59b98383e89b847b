package dev.kos.frameworks.apps.core;

/** Scalar resources: cpus in cores, mem and disk in MiB. */
public record Resources(double cpus, double mem, double disk) {

  public static final Resources NONE = new Resources(0, 0, 0);

  public Resources plus(Resources other) {
    return new Resources(cpus + other.cpus, mem + other.mem, disk + other.disk);
  }

  public Resources minus(Resources other) {
    return new Resources(cpus - other.cpus, mem - other.mem, disk - other.disk);
  }
}
