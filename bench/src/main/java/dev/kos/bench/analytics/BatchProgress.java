package dev.kos.bench.analytics;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One micro-batch as the rollup job's driver reports it on stdout (analytics-job's {@code RollupJob}: {@code
 * [kos-analytics] batch N: R records (...) -> ... rows in M ms}), which the agent ships to kos.logs. Pure.
 *
 * @param records the Kafka records the batch rolled up (kos.logs and kos.metrics)
 * @param millis  the batch's time in the driver: read, roll up, merge, write to Cassandra
 */
record BatchProgress(long batchId, long records, long millis) {

  /** Grouping separators vary with the driver's locale: any run of digits and separators is one number. */
  private static final Pattern BATCH = Pattern.compile(
      "\\[kos-analytics] batch (\\d+): ([\\d,.'\\u00a0\\u202f]+) records .* in ([\\d,.'\\u00a0\\u202f]+) ms\\s*$");

  static Optional<BatchProgress> parse(String line) {
    Matcher m = BATCH.matcher(line);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(new BatchProgress(Long.parseLong(m.group(1)), digits(m.group(2)), digits(m.group(3))));
  }

  private static long digits(String number) {
    return Long.parseLong(number.replaceAll("\\D", ""));
  }

  /** Records per second over all the batches' own time (not the job's start, nor the waits between batches). */
  static double recordsPerSecond(List<BatchProgress> batches) {
    long records = batches.stream().mapToLong(BatchProgress::records).sum();
    long millis = batches.stream().mapToLong(BatchProgress::millis).sum();
    if (millis == 0) {
      throw new IllegalArgumentException("no batch time to divide by: " + batches);
    }
    return records * 1000.0 / millis;
  }
}
