package dev.kos.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.TaskRef;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogBufferTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
  static final TaskRef TASK_A = new TaskRef("a", "fw", null);
  static final TaskRef TASK_B = new TaskRef("b", "fw", null);

  static LogRecord line(TaskRef task, long seq) {
    return new LogRecord(task, LogSource.STDOUT, CLOCK.instant(), seq, task.taskId() + "-" + seq);
  }

  @Test
  void shouldDrainInOrderInBatches() {
    LogBuffer buffer = new LogBuffer(10, CLOCK);
    for (int seq = 0; seq < 5; seq++) {
      buffer.accept(line(TASK_A, seq));
    }

    assertThat(buffer.drain(3)).extracting(LogRecord::line).containsExactly("a-0", "a-1", "a-2");
    assertThat(buffer.drain(3)).extracting(LogRecord::line).containsExactly("a-3", "a-4");
    assertThat(buffer.drain(3)).isEmpty();
  }

  @Test
  void shouldDropTheOldestWhenFullAndSaySoPerTask() {
    LogBuffer buffer = new LogBuffer(2, CLOCK);
    buffer.accept(line(TASK_A, 0));
    buffer.accept(line(TASK_B, 0));
    buffer.accept(line(TASK_A, 1));
    buffer.accept(line(TASK_A, 2));

    List<LogRecord> drained = buffer.drain(10);

    assertThat(drained).hasSize(4);
    assertThat(drained.get(0).source()).isEqualTo(LogSource.SYSTEM);
    assertThat(drained.get(0).task()).isEqualTo(TASK_A);
    assertThat(drained.get(0).line()).contains("dropped 1 log line(s)");
    assertThat(drained.get(1).task()).isEqualTo(TASK_B);
    assertThat(drained.get(1).line()).contains("dropped 1 log line(s)");
    assertThat(drained.subList(2, 4)).extracting(LogRecord::line).containsExactly("a-1", "a-2");
  }

  @Test
  void shouldReportDropsOnlyOnce() {
    LogBuffer buffer = new LogBuffer(1, CLOCK);
    buffer.accept(line(TASK_A, 0));
    buffer.accept(line(TASK_A, 1));
    buffer.drain(10);
    buffer.accept(line(TASK_A, 2));

    assertThat(buffer.drain(10)).extracting(LogRecord::line).containsExactly("a-2");
  }

  @Test
  void shouldRefuseANonPositiveCapacity() {
    assertThatThrownBy(() -> new LogBuffer(0, CLOCK)).hasMessageContaining("capacity");
  }
}
