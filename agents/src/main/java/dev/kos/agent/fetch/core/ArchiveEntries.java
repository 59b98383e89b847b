package dev.kos.agent.fetch.core;

import dev.kos.agent.image.core.LayerEntry;
import dev.kos.agent.image.core.SymlinksOnDisk;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an artifact archive may be unpacked into a directory of a task's sandbox: nothing it holds may
 * write, or point, outside that directory. Unlike an image layer (whose absolute symlinks the container sees from
 * its own root), an archive is unpacked onto the agent's own file system, so the rules are stricter:
 *
 * <ul>
 *   <li>an entry named with an absolute path or a {@code ..} component is refused;</li>
 *   <li>an entry whose path goes through a symlink (the archive's own, wherever it stands in the archive, or one
 *       already on the disk) is refused: the agent never writes through a symlink;</li>
 *   <li>an absolute symlink is refused, and so is a relative one that, followed through every symlink of the
 *       archive and the disk, leads out of the directory;</li>
 *   <li>a hard link must name a file of the archive that comes before it.</li>
 * </ul>
 *
 * The whole archive is decided from its list of entries before anything is written, so the order of its entries
 * cannot sneak a link past the check (a symlink that only escapes once a later entry turns a directory into a
 * symlink).
 */
public final class ArchiveEntries {

  /** Linux's own limit on symlinks followed while resolving one path. */
  static final int MAX_SYMLINKS = 40;

  private ArchiveEntries() {
  }

  /**
   * Why the archive may not be unpacked, naming the first entry at fault; empty when it may.
   *
   * @param entries the archive's entries, in order
   * @param disk    the symlinks already in the directory it is unpacked into
   */
  public static Optional<String> refusal(List<LayerEntry> entries, SymlinksOnDisk disk) {
    Map<String, String> archiveLinks = new HashMap<>();
    Set<String> replaced = new HashSet<>();
    List<List<String>> names = new ArrayList<>();
    for (LayerEntry entry : entries) {
      Optional<List<String>> parts = parts(entry.name());
      if (parts.isEmpty()) {
        return Optional.of(refuse(entry, "has an absolute path or a '..' component"));
      }
      names.add(parts.get());
      String path = String.join("/", parts.get());
      replaced.add(path);
      if (entry.kind() == LayerEntry.Kind.SYMLINK) {
        archiveLinks.put(path, entry.linkTarget().orElseThrow());
      } else {
        archiveLinks.remove(path);
      }
    }
    // The symlinks as they stand once the archive is unpacked: the archive's over whatever the disk had there.
    SymlinksOnDisk after = path -> archiveLinks.containsKey(path) ? Optional.of(archiveLinks.get(path))
        : replaced.contains(path) ? Optional.empty() : disk.targetOf(path);
    Set<String> files = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      LayerEntry entry = entries.get(i);
      List<String> parts = names.get(i);
      Optional<String> through = symlinkOnTheWay(parts, after);
      if (through.isPresent()) {
        return Optional.of(refuse(entry, "goes through the symlink " + through.get()));
      }
      switch (entry.kind()) {
        case SYMLINK -> {
          String target = entry.linkTarget().orElseThrow();
          if (target.isEmpty() || target.startsWith("/")) {
            return Optional.of(refuse(entry, "is a symlink to \"" + target + "\"; only relative links that stay in "
                + "the sandbox are allowed"));
          }
          if (leavesRoot(parts, target, after)) {
            return Optional.of(refuse(entry, "is a symlink to " + target + ", which leads out of the sandbox"));
          }
        }
        case HARDLINK -> {
          String target = entry.linkTarget().orElseThrow();
          Optional<List<String>> targetParts = parts(target);
          if (targetParts.isEmpty() || !files.contains(String.join("/", targetParts.get()))) {
            return Optional.of(refuse(entry, "is a hard link to " + target + ", which is no file before it in the "
                + "archive"));
          }
        }
        case FILE -> files.add(String.join("/", parts));
        default -> {
          // Directories need nothing more; devices and fifos are skipped by the unpacker.
        }
      }
    }
    return Optional.empty();
  }

  private static String refuse(LayerEntry entry, String reason) {
    return "entry " + entry.name() + " " + reason;
  }

  /** The name's parts; empty for an absolute name or one with a {@code ..} part. */
  private static Optional<List<String>> parts(String name) {
    if (name.startsWith("/")) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        return Optional.empty();
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return Optional.of(parts);
  }

  /** The first proper prefix of {@code parts} that is a symlink, if any. */
  private static Optional<String> symlinkOnTheWay(List<String> parts, SymlinksOnDisk links) {
    for (int i = 1; i < parts.size(); i++) {
      String prefix = String.join("/", parts.subList(0, i));
      if (links.targetOf(prefix).isPresent()) {
        return Optional.of(prefix);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether following the symlink at {@code link} to {@code target} (and every symlink its target goes through) climbs above the
   * root or meets an absolute target; a loop or more than {@value #MAX_SYMLINKS} links counts as leaving.
   */
  private static boolean leavesRoot(List<String> link, String target, SymlinksOnDisk links) {
    List<String> resolved = new ArrayList<>(link);
    // The entry's own target: a later entry of the same name may replace the link.
    List<String> todo = new ArrayList<>(List.of(target.split("/")));
    resolved.remove(resolved.size() - 1);
    int followed = 1;
    while (!todo.isEmpty()) {
      String part = todo.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          return true;
        }
        resolved.remove(resolved.size() - 1);
        continue;
      }
      resolved.add(part);
      Optional<String> next = links.targetOf(String.join("/", resolved));
      if (next.isPresent()) {
        if (++followed > MAX_SYMLINKS || next.get().startsWith("/")) {
          return true;
        }
        resolved.remove(resolved.size() - 1);
        todo.addAll(0, List.of(next.get().split("/")));
      }
    }
    return false;
  }
}
