package dev.kos.agent.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.TaskRef;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LogBufferPropertyTest {
  private static final Pattern DROPPED = Pattern.compile("dropped (\\d+) log line");

  /** Each step is a number: positive = offer that many lines of task (n % 3), zero or less = drain a batch. */
  @Property
  void shouldNeverExceedCapacityAndAccountForEveryLine(
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll @Size(max = 60) List<@IntRange(min = -5, max = 8) Integer> steps) {
    LogBuffer buffer = new LogBuffer(capacity, LogBufferTest.CLOCK);
    long offered = 0;
    long delivered = 0;
    long reportedDropped = 0;
    for (int step : steps) {
      if (step > 0) {
        for (int i = 0; i < step; i++) {
          buffer.accept(new LogRecord(new TaskRef("t" + step % 3, "fw", null), LogSource.STDOUT,
              LogBufferTest.CLOCK.instant(), offered, "line " + offered));
          offered++;
        }
      } else {
        for (LogRecord record : buffer.drain(1 - step)) {
          if (record.source() == LogSource.SYSTEM) {
            reportedDropped += droppedCount(record.line());
          } else {
            delivered++;
          }
        }
      }
      assertThat(buffer.size()).isLessThanOrEqualTo(capacity);
    }
    for (LogRecord record : buffer.drain(Integer.MAX_VALUE)) {
      reportedDropped += record.source() == LogSource.SYSTEM ? droppedCount(record.line()) : 0;
      delivered += record.source() == LogSource.SYSTEM ? 0 : 1;
    }
    assertThat(delivered + reportedDropped).isEqualTo(offered);
  }

  private static long droppedCount(String line) {
    Matcher matcher = DROPPED.matcher(line);
    assertThat(matcher.find()).as("a SYSTEM line says how many were dropped: %s", line).isTrue();
    return Long.parseLong(matcher.group(1));
  }
}
