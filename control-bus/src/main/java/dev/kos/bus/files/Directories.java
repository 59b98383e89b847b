package dev.kos.bus.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Removing directory trees: volumes, and the temporary directories of local clusters. */
public final class Directories {

  private Directories() {
  }

  /** Deletes a directory and everything under it; the first file that cannot be deleted stops it. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /**
   * Deletes what it can of a directory tree that may be gone already; returns the problem, if any, so the
   * caller can tell the user what was left behind.
   */
  public static Optional<IOException> deleteTreeQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return Optional.empty();
    }
    try {
      deleteTree(dir);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e);
    }
  }
}
