package dev.kos.frameworks.kafka.core;

/** Scalar resources: cpus (cores), mem and disk (MiB). */
public record Resources(double cpus, double mem, double disk) {

  public static final Resources NONE = new Resources(0, 0, 0);

  public boolean covers(Resources wanted) {
    return cpus + 1e-9 >= wanted.cpus && mem + 1e-9 >= wanted.mem && disk + 1e-9 >= wanted.disk;
  }
}
