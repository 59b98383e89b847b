package dev.kos.agent.fetch;

import dev.kos.agent.fetch.core.ArchiveEntries;
import dev.kos.agent.image.LayerUnpacker;
import dev.kos.agent.image.core.LayerEntry;
import dev.kos.model.Artifact.ArchiveFormat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks an artifact archive (tar, tar+gzip, zip, read with commons-compress) into a directory of a sandbox. The
 * archive is read twice: once for its entries, which {@link ArchiveEntries} decides as a whole, and once to write
 * them; nothing is written unless every entry passed. Nothing is written through a symlink on the disk, modes keep
 * their permission bits only (no setuid, setgid or sticky), devices and fifos are skipped, and the content is
 * bounded ({@code maxBytes}) against an archive that unpacks to far more than it weighs.
 */
final class ArchiveUnpacker {

  private ArchiveUnpacker() {
  }

  /** What one pass does with each entry: its description, its content (for a file), its mode. */
  private interface Visitor {
    void visit(LayerEntry entry, InputStream content, int mode) throws IOException, FetchException;
  }

  static void unpack(Path archive, ArchiveFormat format, Path root, long maxBytes) throws IOException, FetchException {
    List<LayerEntry> entries = new ArrayList<>();
    read(archive, format, (entry, content, mode) -> entries.add(entry));
    Optional<String> refusal = ArchiveEntries.refusal(entries, path -> LayerUnpacker.symlinkUnder(root, path));
    if (refusal.isPresent()) {
      throw new FetchException(refusal.get() + "; kos refuses the archive");
    }
    Sandboxed.createDirectories(root, "");
    long[] written = {0};
    read(archive, format, (entry, content, mode) -> write(root, entry, content, mode, written, maxBytes));
  }

  private static void write(Path root, LayerEntry entry, InputStream content, int mode, long[] written, long maxBytes)
      throws IOException, FetchException {
    String name = String.join("/", names(entry.name()));
    if (name.isEmpty()) {
      return;
    }
    switch (entry.kind()) {
      case DIRECTORY -> {
        Path dir = Sandboxed.createDirectories(root, name);
        Files.setPosixFilePermissions(dir, LayerUnpacker.permissions(mode == 0 ? 0755 : mode | 0700));
      }
      case FILE -> {
        Path file = Sandboxed.replaceable(root, name);
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
          byte[] buffer = new byte[64 * 1024];
          int read;
          while ((read = content.read(buffer)) >= 0) {
            written[0] += read;
            if (written[0] > maxBytes) {
              throw new FetchException("it unpacks to more than " + maxBytes + " bytes (reached at " + name
                  + "); kos refuses it");
            }
            out.write(buffer, 0, read);
          }
        }
        Files.setPosixFilePermissions(file, LayerUnpacker.permissions(mode == 0 ? 0644 : mode));
      }
      case SYMLINK -> Files.createSymbolicLink(Sandboxed.replaceable(root, name), Path.of(entry.linkTarget().get()));
      case HARDLINK -> Files.createLink(Sandboxed.replaceable(root, name),
          root.resolve(String.join("/", names(entry.linkTarget().get()))));
      case SPECIAL -> {
        // A device or fifo means nothing in a sandbox.
      }
    }
  }

  private static void read(Path archive, ArchiveFormat format, Visitor visitor) throws IOException, FetchException {
    if (format == ArchiveFormat.ZIP) {
      try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
        for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
          LayerEntry described = entry.isUnixSymlink() ? LayerEntry.symlink(entry.getName(), zip.getUnixSymlink(entry))
              : entry.isDirectory() ? LayerEntry.directory(entry.getName()) : LayerEntry.file(entry.getName());
          try (InputStream content = zip.getInputStream(entry)) {
            visitor.visit(described, content, entry.getUnixMode() & 0777);
          }
        }
      }
      return;
    }
    try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
        InputStream raw = format == ArchiveFormat.TAR_GZIP ? new GzipCompressorInputStream(file, true) : file;
        TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        visitor.visit(LayerUnpacker.describe(entry), tar, entry.getMode() & 0777);
      }
    }
  }

  private static List<String> names(String name) {
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (!part.isEmpty() && !part.equals(".")) {
        parts.add(part);
      }
    }
    return parts;
  }
}
