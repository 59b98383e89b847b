package dev.kos.agent.image.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of an image layer's tar stream, as far as deciding what it may do goes: its name in the archive,
 * its kind, and for links their target.
 */
public record LayerEntry(String name, Kind kind, Optional<String> linkTarget) {

  /** The kinds of tar entries; devices and fifos are {@link Kind#SPECIAL}. */
  public enum Kind { DIRECTORY, FILE, SYMLINK, HARDLINK, SPECIAL }

  public LayerEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(linkTarget, "linkTarget");
    if ((kind == Kind.SYMLINK || kind == Kind.HARDLINK) && linkTarget.isEmpty()) {
      throw new IllegalArgumentException("a " + kind + " entry has a target: " + name);
    }
  }

  public static LayerEntry directory(String name) {
    return new LayerEntry(name, Kind.DIRECTORY, Optional.empty());
  }

  public static LayerEntry file(String name) {
    return new LayerEntry(name, Kind.FILE, Optional.empty());
  }

  public static LayerEntry symlink(String name, String target) {
    return new LayerEntry(name, Kind.SYMLINK, Optional.of(target));
  }

  public static LayerEntry hardlink(String name, String target) {
    return new LayerEntry(name, Kind.HARDLINK, Optional.of(target));
  }
}
