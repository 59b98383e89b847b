package dev.kos.agent.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One JSON file per task, {@code <dir>/<taskId>.json}, rewritten atomically on every change. */
public final class CheckpointStore {
  private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
  private static final String SUFFIX = ".json";
  private final Path dir;

  public CheckpointStore(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + dir, e);
    }
  }

  public void save(TaskCheckpoint checkpoint) {
    try {
      Json.write(dir.resolve(checkpoint.task().taskId() + SUFFIX), checkpoint);
    } catch (IOException e) {
      // Losing a checkpoint costs recovery of this one task, not the agent: log and go on.
      log.error("cannot checkpoint task {}", checkpoint.task().taskId(), e);
    }
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
