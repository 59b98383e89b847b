package dev.kos.chaos.history;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One check's word on a history: passed or not, what it counted, and on failure the evidence
 * (the records or samples that break the invariant, at most {@value #MAX_EVIDENCE} lines).
 */
public record Verdict(String check, boolean passed, Map<String, Long> counts, List<String> evidence) {

  static final int MAX_EVIDENCE = 20;

  public Verdict {
    counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    evidence = List.copyOf(evidence.subList(0, Math.min(evidence.size(), MAX_EVIDENCE)));
  }

  public static Verdict of(String check, Map<String, Long> counts, List<String> violations) {
    return new Verdict(check, violations.isEmpty(), counts, violations);
  }

  /** One line: {@code C ok launches=3 duplicates=0} or {@code C FAILED ...: first evidence}. */
  public String summary() {
    String figures = counts.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
    return check + (passed ? " ok " : " FAILED ") + figures + (passed ? "" : " | " + String.join(" | ", evidence));
  }
}
