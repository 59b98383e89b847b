package dev.kos.agent.image.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Decides what each entry of an image layer may do to the image's root, so that nothing a layer holds can
 * write outside it. The unpacker carries the decisions out and never lets the operating system resolve a path
 * of the layer's: every symlink on an entry's way is resolved here, inside the root.
 *
 * <ul>
 *   <li>An entry named with an absolute path or a {@code ..} component is refused, as is a relative symlink
 *       whose target climbs out of the root from where it stands, and a hard link to such a name.</li>
 *   <li>An absolute symlink is kept as written (the container sees it from its own root) and, when a later
 *       entry goes through it, resolved from the image's root, as containerd and umoci do: {@code etc -> /etc}
 *       then {@code etc/passwd} writes the image's {@code etc/passwd}, never the host's.</li>
 *   <li>Whiteouts as the OCI image spec has them: {@code .wh.name} removes {@code name} of the lower layers,
 *       {@code .wh..wh..opq} hides everything the lower layers put in its directory.</li>
 *   <li>Devices and fifos are skipped: runc gives a container its devices.</li>
 * </ul>
 */
public final class LayerEntries {

  static final String WHITEOUT_PREFIX = ".wh.";
  static final String OPAQUE_WHITEOUT = ".wh..wh..opq";
  /** Linux's own limit on symlinks followed while resolving one path. */
  static final int MAX_SYMLINKS = 40;

  private LayerEntries() {
  }

  public static EntryAction decide(LayerEntry entry, SymlinksOnDisk disk) {
    try {
      return decideOrThrow(entry, disk);
    } catch (Refused refused) {
      return new EntryAction.Refuse(entry.name(), refused.getMessage());
    }
  }

  private static EntryAction decideOrThrow(LayerEntry entry, SymlinksOnDisk disk) {
    List<String> parts = nameParts(entry.name(), "its name");
    if (parts.isEmpty()) {
      return new EntryAction.Skip(entry.name(), "the root itself");
    }
    String base = parts.get(parts.size() - 1);
    List<String> parentParts = parts.subList(0, parts.size() - 1);
    if (base.equals(OPAQUE_WHITEOUT)) {
      return new EntryAction.HideLowerContents(resolve(parentParts, disk, entry.name()));
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      String hidden = base.substring(WHITEOUT_PREFIX.length());
      if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
        throw new Refused("is a whiteout of nothing (\"" + base + "\")");
      }
      return new EntryAction.Remove(join(resolve(parentParts, disk, entry.name()), hidden));
    }
    String parent = resolve(parentParts, disk, entry.name());
    String path = join(parent, base);
    return switch (entry.kind()) {
      case DIRECTORY -> new EntryAction.MakeDirectory(resolve(parts, disk, entry.name()));
      case FILE -> new EntryAction.WriteFile(path);
      case SYMLINK -> symlink(path, parent, entry.linkTarget().orElseThrow());
      case HARDLINK -> {
        List<String> target = nameParts(entry.linkTarget().orElseThrow(), "its link target");
        if (target.isEmpty()) {
          throw new Refused("is a hard link to the root itself");
        }
        String targetParent = resolve(target.subList(0, target.size() - 1), disk, entry.name());
        yield new EntryAction.MakeHardlink(path, join(targetParent, target.get(target.size() - 1)));
      }
      case SPECIAL -> new EntryAction.Skip(entry.name(), "a device or fifo: runc gives a container its devices");
    };
  }

  private static EntryAction symlink(String path, String parent, String target) {
    if (target.isEmpty()) {
      throw new Refused("is a symlink to nothing");
    }
    if (!target.startsWith("/")) {
      int depth = parent.isEmpty() ? 0 : parent.split("/").length;
      for (String part : target.split("/")) {
        if (part.equals("..")) {
          depth--;
          if (depth < 0) {
            throw new Refused("is a symlink to " + target + ", which leads out of the image's root");
          }
        } else if (!part.isEmpty() && !part.equals(".")) {
          depth++;
        }
      }
    }
    return new EntryAction.MakeSymlink(path, target);
  }

  /** The parts of a name in the archive; an absolute name or one with a {@code ..} part is refused. */
  private static List<String> nameParts(String name, String what) {
    if (name.startsWith("/")) {
      throw new Refused("has an absolute path as " + what + " (" + name + ")");
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.equals("..")) {
        throw new Refused("has a '..' component in " + what + " (" + name + ")");
      }
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }

  /**
   * Resolves {@code parts} inside the root, following each symlink met on the way (an absolute one from the
   * root); a resolution that would climb above the root, or follows more than {@value #MAX_SYMLINKS} symlinks,
   * is refused.
   */
  private static String resolve(List<String> parts, SymlinksOnDisk disk, String entry) {
    Deque<String> resolved = new ArrayDeque<>();
    Deque<String> todo = new ArrayDeque<>(parts);
    int followed = 0;
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (resolved.isEmpty()) {
          throw new Refused("goes through a symlink that leads out of the image's root");
        }
        resolved.pollLast();
        continue;
      }
      resolved.addLast(part);
      String candidate = String.join("/", resolved);
      Optional<String> target = disk.targetOf(candidate);
      if (target.isEmpty()) {
        continue;
      }
      if (++followed > MAX_SYMLINKS) {
        throw new Refused("goes through more than " + MAX_SYMLINKS + " symlinks");
      }
      resolved.pollLast();
      if (target.get().startsWith("/")) {
        resolved.clear();
      }
      String[] targetParts = target.get().split("/");
      for (int i = targetParts.length - 1; i >= 0; i--) {
        todo.addFirst(targetParts[i]);
      }
    }
    return String.join("/", resolved);
  }

  private static String join(String parent, String name) {
    return parent.isEmpty() ? name : parent + "/" + name;
  }

  /** A refusal on its way out of the recursion-free but nested decision. */
  private static final class Refused extends RuntimeException {
    Refused(String reason) {
      super(reason, null, false, false);
    }
  }
}
