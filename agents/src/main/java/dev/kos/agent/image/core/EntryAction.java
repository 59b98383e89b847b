package dev.kos.agent.image.core;

/**
 * What a layer entry does to the image's root, decided before anything is written. Paths are relative to the
 * root, '/'-separated, with every symlink on the way already resolved inside the root; "" is the root itself.
 */
public sealed interface EntryAction {

  /** Creates a directory (and any missing parents). */
  record MakeDirectory(String path) implements EntryAction {
  }

  /** Writes a regular file, replacing whatever is at {@code path} without following it. */
  record WriteFile(String path) implements EntryAction {
  }

  /** Creates a symlink with the target as written in the layer; the unpacker never follows it. */
  record MakeSymlink(String path, String target) implements EntryAction {
  }

  /** Creates a hard link to a file already unpacked at {@code existing}. */
  record MakeHardlink(String path, String existing) implements EntryAction {
  }

  /** A whiteout: removes {@code path} as lower layers left it. */
  record Remove(String path) implements EntryAction {
  }

  /** An opaque whiteout: hides what lower layers put in {@code directory}; this layer's own entries stay. */
  record HideLowerContents(String directory) implements EntryAction {
  }

  /** Nothing to do (the root's own entry, a device or fifo: runc makes the devices a container gets). */
  record Skip(String entry, String why) implements EntryAction {
  }

  /** The entry would reach outside the root, or makes no sense: the whole image is refused. */
  record Refuse(String entry, String reason) implements EntryAction {
  }
}
