package dev.kos.bench.analytics;

import dev.kos.bench.results.Figure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one rollup run on kos left behind, as the benchmark observed it; {@link #check} says whether it did the work it
 * was timed for, {@link #figures} what it measured. Pure.
 *
 * @param executors          the Spark executors asked for
 * @param submitted          when `kos analytics run` was answered (the job accepted)
 * @param firstExecutor      when the first executor of this run was RUNNING (kos.spark-executors), if one ever was
 * @param executorsRunning   how many distinct executor tasks of this run were RUNNING at some point
 * @param batches            the driver's batch lines
 * @param firstBatchReported when the driver reported its first batch (the log line's time)
 * @param finished           when the job's run was seen ended
 * @param produced           the lines produced, which the rollups must count
 * @param rolledUp           what the rollups in Cassandra hold for the produced app
 */
record RollupRun(int executors, Instant submitted, Optional<Instant> firstExecutor, int executorsRunning,
    List<BatchProgress> batches, Optional<Instant> firstBatchReported, Instant finished, Expected produced,
    Expected rolledUp) {

  /** Lines, requests and status classes of the benchmark's app: produced, or found in the rollups. */
  record Expected(long lines, long requests, long status2xx, long status4xx, long status5xx) {
    static Expected of(AccessLines lines) {
      return new Expected(lines.count(), lines.count(), lines.withStatusClass(2), lines.withStatusClass(4),
          lines.withStatusClass(5));
    }
  }

  RollupRun {
    batches = List.copyOf(batches);
  }

  /** The problems that make the run's figures worthless; empty when it did all its work. */
  List<String> check() {
    List<String> problems = new ArrayList<>();
    if (!rolledUp.equals(produced)) {
      problems.add("the rollups in Cassandra hold " + rolledUp + ", not the " + produced + " produced");
    }
    if (batches.isEmpty()) {
      problems.add("the driver reported no batch");
    }
    if (executorsRunning < executors) {
      problems.add(executorsRunning + " executor(s) ran, not the " + executors + " asked for");
    }
    if (firstExecutor.isEmpty() || firstBatchReported.isEmpty()) {
      problems.add("no first executor or first batch seen: launch overhead unknown");
    }
    return problems;
  }

  /** The run's figures, each name prefixed with the executor count so that runs of both counts sit side by side. */
  List<Figure> figures() {
    String at = executors + " executor" + (executors == 1 ? "" : "s") + ": ";
    long firstBatchMillis = batches.isEmpty() ? 0 : batches.get(0).millis();
    List<Figure> figures = new ArrayList<>();
    figures.add(Figure.of(at + "records/s through the micro-batch", BatchProgress.recordsPerSecond(batches),
        "records/s"));
    figures.add(Figure.of(at + "records rolled up (the lines produced, the cluster's own logs and metrics)",
        batches.stream().mapToLong(BatchProgress::records).sum(), "records"));
    figures.add(Figure.of(at + "micro-batches", batches.size(), "batches"));
    figures.add(Figure.of(at + "launch: submit -> first executor RUNNING",
        seconds(submitted, firstExecutor.orElseThrow()), "s"));
    // The driver reports a batch when it ends; it began that batch's time earlier.
    figures.add(Figure.of(at + "launch: submit -> first micro-batch begins",
        seconds(submitted, firstBatchReported.orElseThrow()) - firstBatchMillis / 1000.0, "s"));
    figures.add(Figure.of(at + "submit -> job FINISHED", seconds(submitted, finished), "s"));
    figures.add(Figure.of(at + "lines/s from submit to FINISHED", produced.lines() / seconds(submitted, finished),
        "lines/s"));
    return figures;
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
