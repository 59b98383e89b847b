package dev.kos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Judges a case's history by the checks it names, prints one line per case (its recovery time and
 * every check's counts) to stdout and to target/chaos-summary.txt, and fails the case with the
 * evidence of every failed check.
 */
final class CaseReport {

  /** E: a committed launch gets its first status within this. */
  static final Duration STATUS_BOUND = Duration.ofSeconds(10);
  /** F: the canary is answered within this of the fault healing. */
  static final Duration RECOVERY_BOUND = Duration.ofSeconds(20);

  private CaseReport() {
  }

  static List<Verdict> judge(String name, History history, String checks, long startedAt, List<Verdict> more) {
    var all = Checks.byName(STATUS_BOUND, RECOVERY_BOUND);
    List<Verdict> verdicts = new java.util.ArrayList<>(
        checks.chars().mapToObj(c -> all.get(String.valueOf((char) c)).apply(history)).toList());
    verdicts.addAll(more);
    String recover = history.recovery().map(r -> (r.canaryAnsweredAt().isPresent()
        ? (r.canaryAnsweredAt().getAsLong() - r.healedAt()) + " ms" : "never")
        + lagging(r.lag())).orElse("n/a");
    report(name, verdicts, startedAt, ", recover " + recover);
    return verdicts;
  }

  /** Prints and records one case's line. */
  static void report(String name, List<Verdict> verdicts, long startedAt, String recovery) {
    String line = String.format("CHAOS %s: %s in %.1f s%s; %s", name,
        verdicts.stream().allMatch(Verdict::passed) ? "PASSED" : "FAILED",
        (System.currentTimeMillis() - startedAt) / 1e3, recovery,
        verdicts.stream().map(Verdict::summary).collect(Collectors.joining(" ;; ")));
    System.out.println(line);
    try {
      Path summary = Path.of("target", "chaos-summary.txt");
      Files.createDirectories(summary.getParent());
      Files.writeString(summary, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.out.println("chaos: could not write the summary: " + e);
    }
  }

  private static String lagging(java.util.Map<String, Long> lag) {
    var behind = lag.entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + "=" + e.getValue())
        .toList();
    return behind.isEmpty() ? ", no lag" : ", lag " + behind;
  }

  static void assertPassed(String name, History history, String checks, long startedAt) {
    assertPassed(name, history, checks, startedAt, List.of());
  }

  /** As above, with further verdicts of the case's own (e.g. W, the wanted count). */
  static void assertPassed(String name, History history, String checks, long startedAt, List<Verdict> more) {
    List<Verdict> verdicts = new java.util.ArrayList<>(judge(name, history, checks, startedAt, more));
    assertThat(verdicts).as("the invariants %s of case %s", checks, name).allSatisfy(verdict ->
        assertThat(verdict.passed()).as(verdict.summary()).isTrue());
  }
}
