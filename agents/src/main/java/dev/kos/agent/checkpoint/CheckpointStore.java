package dev.kos.agent.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON file per task, {@code <dir>/<taskId>.json}, rewritten atomically on every change. A
 * write that fails (a full disk) is the caller's to act on: a task the agent cannot checkpoint
 * is one a restarted agent would not find, or would find in a state it has left.
 */
public final class CheckpointStore {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String SUFFIX = ".json";

  /** How a checkpoint reaches the disk: {@link Json#write} but in tests that make it fail. */
  @FunctionalInterface
  public interface Writer {
    void write(Path file, TaskCheckpoint checkpoint) throws IOException;
  }

  private final Path dir;
  private final Writer writer;

  public CheckpointStore(Path dir) {
    this(dir, Json::write);
  }

  public CheckpointStore(Path dir, Writer writer) {
    this.dir = dir;
    this.writer = writer;
    try {
      Files.createDirectories(dir);
      // A checkpoint tells where every task's sandbox and process is: the agent's user's alone.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
    }
  }

  /** Replaces the task's checkpoint, or throws saying why not; the old checkpoint is then left as it was. */
  public void save(TaskCheckpoint checkpoint) throws CheckpointWriteException {
    Path file = fileOf(checkpoint.task().taskId());
    try {
      writer.write(file, checkpoint);
    } catch (IOException e) {
      throw new CheckpointWriteException("cannot write checkpoint " + file + ": " + reason(e), e);
    }
  }

  /**
   * Deletes the task's checkpoint, so that a restarted agent does not act on one that no longer
   * tells the truth. Deleting needs no free space, so this works on a full disk.
   */
  public void forget(String taskId) {
    try {
      Files.deleteIfExists(fileOf(taskId));
    } catch (IOException e) {
      log.error("cannot delete the stale checkpoint of task {}", taskId, e);
    }
  }

  private Path fileOf(String taskId) {
    return dir.resolve(taskId + SUFFIX);
  }

  /** The system's words ("No space left on device") without the path the message repeats. */
  private static String reason(IOException e) {
    if (e instanceof FileSystemException failed && failed.getReason() != null) {
      return failed.getReason();
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int open = message.lastIndexOf(" (");
    return open >= 0 && message.endsWith(")") ? message.substring(open + 2, message.length() - 1) : message;
  }

  /** Every readable checkpoint; an unreadable one is logged and skipped, not fatal. */
  public List<TaskCheckpoint> loadAll() {
    List<TaskCheckpoint> checkpoints = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
        try {
          checkpoints.add(Json.read(file, TaskCheckpoint.class));
        } catch (IOException e) {
          log.error("skipping unreadable checkpoint {}", file, e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
    }
    return checkpoints;
  }
}
