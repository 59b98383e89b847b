package dev.kos.agent.exec;

import dev.kos.agent.checkpoint.Json;
import dev.kos.agent.outbound.LogSink;
import dev.kos.agent.model.LogRecord;
import dev.kos.agent.model.LogSource;
import dev.kos.agent.model.TaskRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships a task's {@code stdout} and {@code stderr} files line by line. The task writes straight
 * into the sandbox files (not a pipe to the agent), so it neither blocks nor gets SIGPIPE while the
 * agent is down; the tailer's position is saved in the sandbox, so a restarted agent ships what
 * was written meanwhile and nothing twice.
 */
final class LogTailer {
  private static final Logger log = LoggerFactory.getLogger(LogTailer.class);
  private static final int MAX_BYTES_PER_POLL = 1 << 20;

  private final TaskRef task;
  private final Sandbox sandbox;
  private final LogSink sink;
  private final Clock clock;
  private Position position;

  /** Where shipping stands; saved in the sandbox after every poll that shipped something. */
  record Position(long stdoutOffset, long stderrOffset, long nextSeq) {
  }

  LogTailer(TaskRef task, Sandbox sandbox, LogSink sink, Clock clock) {
    this.task = task;
    this.sandbox = sandbox;
    this.sink = sink;
    this.clock = clock;
    this.position = loadPosition(sandbox);
  }

  /** Ships complete lines written since the last poll. */
  synchronized void poll() {
    ship(false);
  }

  /** Ships everything, a last unterminated line included: the task has ended. */
  synchronized void flush() {
    ship(true);
  }

  private void ship(boolean includePartialLine) {
    Position before = position;
    long stdout = shipFrom(sandbox.stdout(), LogSource.STDOUT, position.stdoutOffset(), includePartialLine);
    position = new Position(stdout, position.stderrOffset(), position.nextSeq());
    long stderr = shipFrom(sandbox.stderr(), LogSource.STDERR, position.stderrOffset(), includePartialLine);
    position = new Position(position.stdoutOffset(), stderr, position.nextSeq());
    if (!position.equals(before)) {
      savePosition();
    }
  }

  /** Returns the new offset: just past the last line shipped. */
  private long shipFrom(Path file, LogSource source, long offset, boolean includePartialLine) {
    if (!Files.exists(file)) {
      return offset;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long available = Math.min(in.length() - offset, MAX_BYTES_PER_POLL);
      if (available <= 0) {
        return offset;
      }
      byte[] bytes = new byte[(int) available];
      in.seek(offset);
      in.readFully(bytes);
      int consumed = emitLines(bytes, source, includePartialLine);
      return offset + consumed;
    } catch (IOException e) {
      log.warn("cannot read {} of task {}", source, task.taskId(), e);
      return offset;
    }
  }

  private int emitLines(byte[] bytes, LogSource source, boolean includePartialLine) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int consumed = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        emit(source, line);
        consumed = i + 1;
      } else {
        line.write(bytes[i]);
      }
    }
    // A line longer than a whole poll's worth would never complete: ship it in pieces.
    boolean overlong = consumed == 0 && bytes.length == MAX_BYTES_PER_POLL;
    if ((includePartialLine || overlong) && line.size() > 0) {
      emit(source, line);
      consumed = bytes.length;
    }
    return consumed;
  }

  private void emit(LogSource source, ByteArrayOutputStream line) {
    long seq = position.nextSeq();
    position = new Position(position.stdoutOffset(), position.stderrOffset(), seq + 1);
    sink.accept(new LogRecord(task, source, clock.instant(), seq, line.toString(StandardCharsets.UTF_8)));
    line.reset();
  }

  private void savePosition() {
    try {
      Json.write(sandbox.logPosition(), position);
    } catch (IOException e) {
      log.warn("cannot save log position of task {}; lines may be shipped twice after a restart",
          task.taskId(), e);
    }
  }

  private static Position loadPosition(Sandbox sandbox) {
    try {
      if (Files.exists(sandbox.logPosition())) {
        return Json.read(sandbox.logPosition(), Position.class);
      }
    } catch (IOException e) {
      log.warn("cannot read log position in {}; shipping from the start", sandbox.dir(), e);
    }
    return new Position(0, 0, 0);
  }
}
