package dev.kos.analytics.query;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A rollup row as a JSON document of maps and numbers: what {@code kos analytics rollup --json} prints and
 * {@code GET /api/v1/analytics/requests} answers, from this one place.
 */
public final class RollupDocuments {

  private RollupDocuments() {}

  public static Map<String, Object> row(AppRollup row) {
    AppCounts c = row.counts();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("start", row.start().toString());
    json.put("lines", c.lines());
    json.put("bytes", c.bytes());
    json.put("malformed", c.malformed());
    json.put("levels", ordered("error", c.levelError(), "warn", c.levelWarn(), "info", c.levelInfo(),
        "debug", c.levelDebug(), "other", c.levelOther()));
    json.put("streams", ordered("stdout", c.streamStdout(), "stderr", c.streamStderr(), "system", c.streamSystem()));
    json.put("requests", c.requests());
    json.put("status", ordered("2xx", c.status2xx(), "3xx", c.status3xx(), "4xx", c.status4xx(), "5xx", c.status5xx()));
    json.put("latencyMs", percentiles(c));
    json.put("latencyHistogram", c.latencyHistogram());
    return json;
  }

  /**
   * An agent's usage bucket: {@code start} and {@code roles}, each {@code {role, samples, cpuCores {avg, max}, memMiB
   * {avg, max}}}, averages per sample: what {@code kos analytics usage --json} prints and
   * {@code GET /api/v1/analytics/agent-usage} answers.
   */
  public static Map<String, Object> usage(AgentUsageBucket bucket) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("start", bucket.start().toString());
    json.put("roles", bucket.roles().stream().map(RollupDocuments::usage).toList());
    return json;
  }

  public static Map<String, Object> usage(AgentUsage usage) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("role", usage.role());
    json.put("samples", usage.samples());
    json.put("cpuCores", averageAndMax(usage.cpuAverage(), usage.cpuMax()));
    json.put("memMiB", averageAndMax(usage.memAverageMib(), usage.memMax()));
    return json;
  }

  private static Map<String, Double> averageAndMax(double average, double max) {
    Map<String, Double> json = new LinkedHashMap<>();
    json.put("avg", average);
    json.put("max", max);
    return json;
  }

  /** p50, p95 and p99 in ms, each null without requests. */
  public static Map<String, Integer> percentiles(AppCounts c) {
    Map<String, Integer> json = new LinkedHashMap<>();
    json.put("p50", orNull(c.latencyPercentile(50)));
    json.put("p95", orNull(c.latencyPercentile(95)));
    json.put("p99", orNull(c.latencyPercentile(99)));
    return json;
  }

  private static Integer orNull(OptionalInt value) {
    return value.isPresent() ? value.getAsInt() : null;
  }

  private static Map<String, Long> ordered(Object... keysAndValues) {
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], (Long) keysAndValues[i + 1]);
    }
    return map;
  }
}
