package dev.kos.agent.testing;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.outbound.LogSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

public final class RecordingLogSink implements LogSink {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  @Override
  public void accept(LogRecord record) {
    records.add(record);
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  public List<String> lines(String taskId, LogSource source) {
    return records.stream()
        .filter(record -> record.task().taskId().equals(taskId) && record.source() == source)
        .map(LogRecord::line)
        .toList();
  }
}
