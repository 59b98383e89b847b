package dev.kos.analytics.query;

import java.util.Arrays;
import java.util.function.ToLongFunction;

/** What "top apps" ranks by; {@link #cliName()} is how users name it. */
public enum Metric {
  ERRORS("errors", AppCounts::levelError),
  WARNINGS("warnings", AppCounts::levelWarn),
  LINES("lines", AppCounts::lines),
  BYTES("bytes", AppCounts::bytes),
  REQUESTS("requests", AppCounts::requests),
  STATUS_5XX("5xx", AppCounts::status5xx),
  MALFORMED("malformed", AppCounts::malformed);

  private final String cliName;
  private final ToLongFunction<AppCounts> value;

  Metric(String cliName, ToLongFunction<AppCounts> value) {
    this.cliName = cliName;
    this.value = value;
  }

  public String cliName() {
    return cliName;
  }

  public long valueOf(AppCounts counts) {
    return value.applyAsLong(counts);
  }

  /** By CLI name (case-insensitive) or enum name; the error lists the choices. */
  public static Metric parse(String name) {
    return Arrays.stream(values())
        .filter(metric -> metric.cliName.equalsIgnoreCase(name) || metric.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown metric '" + name + "'; choose one of "
            + String.join(", ", Arrays.stream(values()).map(Metric::cliName).toList())));
  }
}
