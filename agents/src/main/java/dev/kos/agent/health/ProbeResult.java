package dev.kos.agent.health;

/** One health probe's answer, with a detail for the log. */
public record ProbeResult(boolean healthy, String detail) {
  public static ProbeResult healthy(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult unhealthy(String detail) {
    return new ProbeResult(false, detail);
  }
}
