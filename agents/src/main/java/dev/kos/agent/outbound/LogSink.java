package dev.kos.agent.outbound;

import dev.kos.agent.model.LogRecord;

/** Where captured task output goes (outbound); the Kafka shell drains a {@link LogBuffer} into kos.logs. */
@FunctionalInterface
public interface LogSink {
  void accept(LogRecord record);
}
