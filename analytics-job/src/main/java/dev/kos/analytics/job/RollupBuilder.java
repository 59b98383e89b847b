package dev.kos.analytics.job;

import dev.kos.schema.LogLine;
import dev.kos.schema.MetricSample;
import java.util.Optional;

/**
 * Rolls up the Kafka records of one partition of a micro-batch: decodes each value and adds it to
 * a {@link BatchRollup}. A value that does not decode is counted, never thrown.
 */
final class RollupBuilder {

  private final String logsTopic;
  private final ConfluentAvroReader<LogLine> logLines = new ConfluentAvroReader<>(LogLine.class);
  private final ConfluentAvroReader<MetricSample> metricSamples = new ConfluentAvroReader<>(MetricSample.class);
  private final BatchRollup rollup = new BatchRollup();

  /** Records from {@code logsTopic} are log lines; records from any other topic are metric samples. */
  RollupBuilder(String logsTopic) {
    this.logsTopic = logsTopic;
  }

  RollupBuilder add(String topic, byte[] value, long kafkaTimestampMillis) {
    if (logsTopic.equals(topic)) {
      Optional<LogLine> line = logLines.read(value);
      if (line.isPresent()) {
        rollup.addLogLine(line.get());
      } else {
        rollup.addUndecodableLog(kafkaTimestampMillis);
      }
    } else {
      metricSamples.read(value).ifPresentOrElse(rollup::addMetricSample, rollup::addUndecodableMetric);
    }
    return this;
  }

  BatchRollup rollup() {
    return rollup;
  }
}
