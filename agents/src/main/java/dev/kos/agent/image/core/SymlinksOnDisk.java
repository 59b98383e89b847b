package dev.kos.agent.image.core;

import java.util.Optional;

/** What the root holds so far, as far as resolving paths goes: the target of a symlink at a root-relative path. */
@FunctionalInterface
public interface SymlinksOnDisk {

  /** The target of the symlink at {@code path} ('/'-separated, relative to the root), or empty if it is none. */
  Optional<String> targetOf(String path);
}
