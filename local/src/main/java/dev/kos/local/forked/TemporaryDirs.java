package dev.kos.local.forked;

import dev.kos.bus.files.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The data directory of a node started without one: created on start, deleted when the node stops. */
public final class TemporaryDirs {

  private static final Logger log = LoggerFactory.getLogger(TemporaryDirs.class);

  private TemporaryDirs() {}

  public static Path create(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary data directory", e);
    }
  }

  /** Deletes what it can of {@code root} when {@code temporary}; what it cannot is logged and left. */
  public static void deleteIfTemporary(Path root, boolean temporary) {
    if (!temporary) {
      return;
    }
    Directories.deleteTreeQuietly(root)
        .ifPresent(e -> log.warn("Could not delete temporary data directory {}", root, e));
  }
}
