package dev.kos.agent.image;

import dev.kos.agent.image.core.EntryAction;
import dev.kos.agent.image.core.LayerEntries;
import dev.kos.agent.image.core.LayerEntry;
import dev.kos.bus.files.Directories;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks image layers, in order, onto one root directory: a layer is a tar stream, gzip-compressed or not (as
 * OCI's {@code tar} and {@code tar+gzip} media types). Every entry goes through {@link LayerEntries} first, and
 * the paths it decides are the only ones touched; nothing here lets the operating system follow a symlink of
 * the image's. Files lose their setuid, setgid and sticky bits (kos runs tasks unprivileged). An entry that is
 * refused, or content beyond {@code maxBytes} for the whole image, ends the unpacking with an
 * {@link ImageException}: the caller unpacks into a directory of its own and throws it away then.
 */
public final class LayerUnpacker {

  private static final Logger log = LoggerFactory.getLogger(LayerUnpacker.class);
  private static final int GZIP_MAGIC_1 = 0x1f;
  private static final int GZIP_MAGIC_2 = 0x8b;

  private final Path root;
  private final long maxBytes;
  private long written;
  private int layers;

  /**
   * @param root the image's root directory (created if missing)
   * @param maxBytes the most bytes of file content the whole image may unpack to
   */
  public LayerUnpacker(Path root, long maxBytes) {
    this.root = root;
    this.maxBytes = maxBytes;
  }

  /** Bytes of file content unpacked so far, over all layers. */
  public long bytesWritten() {
    return written;
  }

  /** Unpacks the next layer onto the root. */
  public void unpack(InputStream layer) throws IOException, ImageException {
    layers++;
    Files.createDirectories(root);
    Set<String> thisLayer = new HashSet<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(decompressed(layer))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        EntryAction action = LayerEntries.decide(describe(entry), this::symlinkAt);
        apply(action, entry, tar, thisLayer);
      }
    } catch (IOException e) {
      throw new ImageException("layer " + layers + " could not be unpacked (a corrupt archive, or the disk): "
          + e.getMessage(), e);
    }
  }

  private static InputStream decompressed(InputStream layer) throws IOException {
    BufferedInputStream in = new BufferedInputStream(layer);
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == GZIP_MAGIC_1 && second == GZIP_MAGIC_2 ? new GzipCompressorInputStream(in, true) : in;
  }

  /** A tar entry as {@link LayerEntries} (and the artifact fetcher's archive check) decide on it. */
  public static LayerEntry describe(TarArchiveEntry entry) {
    if (entry.isSymbolicLink()) {
      return LayerEntry.symlink(entry.getName(), entry.getLinkName());
    }
    if (entry.isLink()) {
      return LayerEntry.hardlink(entry.getName(), entry.getLinkName());
    }
    if (entry.isDirectory()) {
      return LayerEntry.directory(entry.getName());
    }
    if (entry.isFile()) {
      return LayerEntry.file(entry.getName());
    }
    return new LayerEntry(entry.getName(), LayerEntry.Kind.SPECIAL, Optional.empty());
  }

  private Optional<String> symlinkAt(String path) {
    return symlinkUnder(root, path);
  }

  /** The target of the symlink at {@code path} under {@code root}, if it is one (never followed). */
  public static Optional<String> symlinkUnder(Path root, String path) {
    Path onDisk = root.resolve(path);
    if (!Files.isSymbolicLink(onDisk)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readSymbolicLink(onDisk).toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void apply(EntryAction action, TarArchiveEntry entry, InputStream content, Set<String> thisLayer)
      throws IOException, ImageException {
    if (action instanceof EntryAction.Refuse refuse) {
      throw new ImageException("layer " + layers + ": entry " + refuse.entry() + " " + refuse.reason()
          + "; kos refuses the image");
    } else if (action instanceof EntryAction.Skip skip) {
      log.debug("layer {}: skipping {}: {}", layers, skip.entry(), skip.why());
    } else if (action instanceof EntryAction.MakeDirectory directory) {
      Path path = root.resolve(directory.path());
      if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(path);
      }
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      thisLayer.add(directory.path());
    } else if (action instanceof EntryAction.WriteFile file) {
      Path path = replaceable(file.path());
      try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        copyBounded(content, out, file.path());
      }
      Files.setPosixFilePermissions(path, permissions(entry.getMode()));
      Files.setLastModifiedTime(path, FileTime.from(entry.getModTime().toInstant()));
      thisLayer.add(file.path());
    } else if (action instanceof EntryAction.MakeSymlink symlink) {
      Files.createSymbolicLink(replaceable(symlink.path()), Path.of(symlink.target()));
      thisLayer.add(symlink.path());
    } else if (action instanceof EntryAction.MakeHardlink hardlink) {
      Path existing = root.resolve(hardlink.existing());
      if (!Files.isRegularFile(existing, LinkOption.NOFOLLOW_LINKS)) {
        throw new ImageException("layer " + layers + ": entry " + entry.getName() + " is a hard link to "
            + entry.getLinkName() + ", which is no file unpacked before it; kos refuses the image");
      }
      Files.createLink(replaceable(hardlink.path()), existing);
      thisLayer.add(hardlink.path());
    } else if (action instanceof EntryAction.Remove remove) {
      deleteTree(root.resolve(remove.path()));
    } else if (action instanceof EntryAction.HideLowerContents hide) {
      hideLowerContents(hide.directory(), thisLayer);
    }
  }

  /** The path of an entry about to be created, with whatever was there removed (never followed). */
  private Path replaceable(String relative) throws IOException {
    Path path = root.resolve(relative);
    Files.createDirectories(path.getParent());
    deleteTree(path);
    return path;
  }

  private void copyBounded(InputStream in, OutputStream out, String path) throws IOException, ImageException {
    byte[] buffer = new byte[64 * 1024];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      written += read;
      if (written > maxBytes) {
        throw new ImageException("layer " + layers + ": the image unpacks to more than " + maxBytes
            + " bytes (reached at " + path + "); kos refuses it (raise the agent's image size limit if it is right)");
      }
      out.write(buffer, 0, read);
    }
  }

  /** Removes what lower layers put in {@code directory}, keeping this layer's own entries. */
  private void hideLowerContents(String directory, Set<String> thisLayer) throws IOException {
    Path dir = root.resolve(directory);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String relative = root.relativize(child).toString();
        boolean mine = thisLayer.contains(relative) || thisLayer.stream().anyMatch(p -> p.startsWith(relative + "/"));
        if (!mine) {
          deleteTree(child);
        }
      }
    }
  }

  /** Deletes a file, a symlink (not what it points to) or a directory tree, if there is one. */
  private static void deleteTree(Path path) throws IOException {
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      Directories.deleteTree(path);
    }
  }

  /** The entry's permission bits, without setuid, setgid and sticky (which Java's permission set cannot carry). */
  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }
}
