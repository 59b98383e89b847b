package dev.kos.bench.results;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one benchmark run leaves behind: where and when it ran, with what settings, and what it measured.
 *
 * @param name      the benchmark, e.g. "placement"; names the result files
 * @param settings  every parameter the figures depend on, in the order they are printed
 * @param figures   the measurements
 * @param notes     sentences a reader needs to interpret the figures (conditions, method, caveats)
 */
public record BenchResult(String name, Instant startedAt, Machine machine, Map<String, String> versions,
    Map<String, Object> settings, List<Figure> figures, List<String> notes) {

  public BenchResult {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(machine, "machine");
    versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    figures = List.copyOf(figures);
    notes = List.copyOf(notes);
  }
}
