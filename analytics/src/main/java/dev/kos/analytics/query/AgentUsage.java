package dev.kos.analytics.query;

/**
 * Task CPU (cores) and memory (MiB) of one role on one agent over a window: sums and maxima of
 * the samples, as {@code agent_minute} keeps them. Averages are per sample.
 */
public record AgentUsage(String role, String agent, long samples, double cpuSum, double cpuMax, double memSum,
    double memMax) {

  public static AgentUsage none(String role, String agent) {
    return new AgentUsage(role, agent, 0, 0, 0, 0, 0);
  }

  public AgentUsage plus(AgentUsage other) {
    return new AgentUsage(role, agent, samples + other.samples, cpuSum + other.cpuSum,
        Math.max(cpuMax, other.cpuMax), memSum + other.memSum, Math.max(memMax, other.memMax));
  }

  public double cpuAverage() {
    return samples == 0 ? 0 : cpuSum / samples;
  }

  public double memAverageMib() {
    return samples == 0 ? 0 : memSum / samples;
  }
}
