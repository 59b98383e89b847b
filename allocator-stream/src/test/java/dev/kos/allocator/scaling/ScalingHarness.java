package dev.kos.allocator.scaling;

import dev.kos.allocator.core.AgentLoad;
import dev.kos.model.Resources;
import dev.kos.model.ScaleMode;
import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fixture for the autoscaler core: apps, samples and agent loads go in, the clock moves one tick (a second)
 * at a time, and the decisions made on the way read back as short strings a table row can hold.
 */
final class ScalingHarness {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final ScalingPolicy WEB = ScalingPolicy.of("rps", 100, 1, 10, ScaleMode.AUTOMATIC).withWindows(Duration.ZERO, Duration.ZERO)
      .withCooldown(Duration.ZERO);

  final Autoscaler autoscaler;
  final List<Decision> decisions = new ArrayList<>();
  Instant now = START;

  ScalingHarness(ScalingSettings settings) {
    this.autoscaler = new Autoscaler(settings);
  }

  static ScalingHarness create() {
    return new ScalingHarness(ScalingSettings.defaults());
  }

  ScalingHarness app(String appId, int instances, ScalingPolicy policy) {
    autoscaler.appUpdated(ScalableApp.of(appId, instances, policy));
    return this;
  }

  /** Each of the app's instances {@code appId-0..n-1} reports the same value now. */
  ScalingHarness tasksReport(String appId, int tasks, double value) {
    for (int i = 0; i < tasks; i++) {
      autoscaler.sampled(new Sample(appId + "-" + i, Sample.Kind.TASK, appId, Map.of("rps", value), now));
    }
    return this;
  }

  ScalingHarness serviceReports(String appId, double total) {
    autoscaler.sampled(new Sample(appId + "-service", Sample.Kind.SERVICE, appId, Map.of("rps", total), now));
    return this;
  }

  ScalingHarness agent(String agentId, double cpus, double mem, double allocatedCpus, double allocatedMem) {
    Resources allocated = Resources.of(allocatedCpus, allocatedMem);
    autoscaler.agentReported(new AgentLoad(agentId, Resources.of(cpus, mem), allocated, allocatedCpus > 0 ? 1 : 0,
        allocated, false), now);
    return this;
  }

  /** One tick now, collecting its decisions. */
  ScalingHarness tick() {
    decisions.addAll(autoscaler.tick(now));
    return this;
  }

  /** Moves the clock without ticking, as if the autoscaler had been stopped. */
  ScalingHarness idleSeconds(int seconds) {
    now = now.plusSeconds(seconds);
    return this;
  }

  /** Moves the clock second by second, ticking at each. */
  ScalingHarness advanceSeconds(int seconds) {
    for (int i = 0; i < seconds; i++) {
      now = now.plusSeconds(1);
      tick();
    }
    return this;
  }

  String described() {
    return describe(decisions);
  }

  static String describe(List<Decision> decisions) {
    return decisions.stream().map(d -> d.target() + " " + d.from() + "->" + d.to()).collect(Collectors.joining(", "));
  }
}
