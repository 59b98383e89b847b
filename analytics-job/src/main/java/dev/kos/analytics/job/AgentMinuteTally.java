package dev.kos.analytics.job;

import java.io.Serializable;
import java.util.Map;

/** The sums and maxima of one {@code agent_minute} partial row (docs/analytics.md). */
final class AgentMinuteTally implements Serializable {

  private static final long serialVersionUID = 1L;
  static final String CPU = "cpu_cores";
  static final String RSS = "rss_bytes";
  private static final double BYTES_PER_MIB = 1_048_576;

  long samples;
  double cpuSum;
  double cpuMax;
  double memSum;
  double memMax;

  /** A sample without a value adds 0 to its sum and leaves its maximum alone. */
  void addSample(Map<String, Double> values) {
    samples++;
    Double cpu = values.get(CPU);
    if (cpu != null) {
      cpuSum += cpu;
      cpuMax = Math.max(cpuMax, cpu);
    }
    Double rss = values.get(RSS);
    if (rss != null) {
      double mib = rss / BYTES_PER_MIB;
      memSum += mib;
      memMax = Math.max(memMax, mib);
    }
  }

  void addAll(AgentMinuteTally other) {
    samples += other.samples;
    cpuSum += other.cpuSum;
    cpuMax = Math.max(cpuMax, other.cpuMax);
    memSum += other.memSum;
    memMax = Math.max(memMax, other.memMax);
  }
}
