package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.testing.RecordingLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailerTest {
  private static final TaskRef TASK = new TaskRef("t1", "fw", null);

  @TempDir
  Path dir;
  Sandbox sandbox;
  RecordingLogSink sink = new RecordingLogSink();

  @BeforeEach
  void createSandbox() throws Exception {
    sandbox = new Sandbox(dir);
    sandbox.create();
  }

  private LogTailer tailer() {
    return new LogTailer(TASK, sandbox, sink, Clock.systemUTC());
  }

  private void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.APPEND);
  }

  @Test
  void shouldShipCompleteLinesAndHoldBackAPartialOne() throws Exception {
    LogTailer tailer = tailer();
    append(sandbox.stdout(), "one\ntwo\nthr");
    append(sandbox.stderr(), "err\n");

    tailer.poll();
    append(sandbox.stdout(), "ee\n");
    tailer.poll();

    assertThat(sink.lines("t1", LogSource.STDOUT)).containsExactly("one", "two", "three");
    assertThat(sink.lines("t1", LogSource.STDERR)).containsExactly("err");
  }

  @Test
  void shouldShipAPartialLastLineOnFlush() throws Exception {
    LogTailer tailer = tailer();
    append(sandbox.stdout(), "no newline");

    tailer.poll();
    tailer.flush();

    assertThat(sink.lines("t1", LogSource.STDOUT)).containsExactly("no newline");
  }

  @Test
  void shouldResumeWhereAPreviousAgentStoppedWithoutDuplicates() throws Exception {
    append(sandbox.stdout(), "before restart\n");
    tailer().poll();
    append(sandbox.stdout(), "while the agent was down\n");

    tailer().poll();

    assertThat(sink.records()).extracting(LogRecord::line, LogRecord::seq).containsExactly(
        tuple("before restart", 0L), tuple("while the agent was down", 1L));
  }
}
