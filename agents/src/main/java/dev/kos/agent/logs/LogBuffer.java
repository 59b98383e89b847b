package dev.kos.agent.logs;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.outbound.LogSink;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bounded buffer between log capture and the producer, so that a short broker outage loses
 * nothing and a long one loses the oldest lines, not the agent's memory. When full, the oldest
 * line is dropped and counted per task; the next drain starts with one SYSTEM line per task
 * saying how many of its lines were dropped. Thread-safe: capture and producer run on different threads.
 */
public final class LogBuffer implements LogSink {
  private final int capacity;
  private final Clock clock;
  private final Deque<LogRecord> lines = new ArrayDeque<>();
  private final Map<TaskRef, Drops> drops = new LinkedHashMap<>();

  private record Drops(long count, long lastSeq) {
  }

  public LogBuffer(int capacity, Clock clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("log buffer capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
    this.clock = clock;
  }

  @Override
  public synchronized void accept(LogRecord record) {
    if (lines.size() == capacity) {
      LogRecord oldest = lines.removeFirst();
      drops.merge(oldest.task(), new Drops(1, oldest.seq()),
          (before, now) -> new Drops(before.count() + 1, now.lastSeq()));
    }
    lines.addLast(record);
  }

  /** Up to {@code max} records, oldest first, drop notices ahead of the lines. */
  public synchronized List<LogRecord> drain(int max) {
    List<LogRecord> batch = new ArrayList<>(Math.min(max, lines.size() + drops.size()));
    var pendingNotices = drops.entrySet().iterator();
    while (batch.size() < max && pendingNotices.hasNext()) {
      var entry = pendingNotices.next();
      batch.add(dropNotice(entry.getKey(), entry.getValue()));
      pendingNotices.remove();
    }
    while (batch.size() < max && !lines.isEmpty()) {
      batch.add(lines.removeFirst());
    }
    return batch;
  }

  public synchronized int size() {
    return lines.size();
  }

  /** The notice takes the seq of the last line it stands for, so consumers see where the gap ends. */
  private LogRecord dropNotice(TaskRef task, Drops dropped) {
    return new LogRecord(task, LogSource.SYSTEM, clock.instant(), dropped.lastSeq(),
        "kos agent: dropped " + dropped.count() + " log line(s) of this task because the log buffer ("
            + capacity + " lines) was full");
  }
}
