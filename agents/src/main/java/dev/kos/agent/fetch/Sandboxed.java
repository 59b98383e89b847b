package dev.kos.agent.fetch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Paths under a root that the agent writes without ever following a symlink: each directory on the way must be a
 * real directory (created when missing), so a link planted by an earlier artifact cannot redirect a write.
 */
final class Sandboxed {

  private Sandboxed() {
  }

  /** {@code root/relative} as a directory, every part of it checked or created. */
  static Path createDirectories(Path root, String relative) throws IOException {
    Path dir = root;
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(root);
    }
    for (String part : relative.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      dir = dir.resolve(part);
      if (Files.isSymbolicLink(dir)) {
        throw new IOException(dir + " is a symlink; kos does not write through one");
      }
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(dir);
      } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new IOException(dir + " is in the way: it is no directory");
      }
    }
    return dir;
  }

  /** {@code root/relative}, its parent directories made, and whatever is there (a file or link) removed. */
  static Path replaceable(Path root, String relative) throws IOException {
    int slash = relative.lastIndexOf('/');
    Path parent = createDirectories(root, slash < 0 ? "" : relative.substring(0, slash));
    Path path = parent.resolve(relative.substring(slash + 1));
    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(path + " is a directory already");
    }
    Files.deleteIfExists(path);
    return path;
  }
}
