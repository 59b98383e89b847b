package dev.kos.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.image.core.LayerEntry;
import dev.kos.bus.files.Directories;
import dev.kos.model.Artifact.ArchiveFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Whatever an archive holds, what the unpacker lets through stays in the directory, as the operating system itself
 * resolves it: nothing is written outside, and no symlink unpacked there, followed by the kernel (with any path
 * after it), reaches a file outside. The directory sits among decoys of the archive's own names, so an escape
 * mostly lands on something that exists.
 */
class ArchiveUnpackerPropertyTest {

  private static final List<String> DECOYS = List.of("a", "b", "c", "secret");
  /** Paths after a link: none climbs, since climbing from a link to the directory itself leaves it by design. */
  private static final List<String> SUFFIXES = List.of("", "a", "secret", "a/a");

  @Property(tries = 200)
  void nothingUnpackedLeadsOutOfTheDirectory(@ForAll("archives") List<LayerEntry> entries) throws Exception {
    Path outer = Files.createTempDirectory("kos-unpack-");
    try {
      for (String decoy : DECOYS) {
        Files.createDirectories(outer.resolve(decoy).resolve("a"));
      }
      Path root = Files.createDirectories(outer.resolve("root"));
      Path tar = outer.resolve("archive.tar");
      write(tar, entries);
      Set<Path> before = listing(outer);
      try {
        ArchiveUnpacker.unpack(tar, ArchiveFormat.TAR, root, 1 << 20);
      } catch (FetchException | IOException refused) {
        // Refused (or the disk said no to a name clash): fine, as long as nothing got out (checked below).
      }
      Path realRoot = root.toRealPath();
      assertThat(listing(outer).stream().filter(path -> !path.startsWith(root)))
          .as("nothing written outside the directory").containsExactlyInAnyOrderElementsOf(
              before.stream().filter(path -> !path.startsWith(root)).toList());
      try (Stream<Path> unpacked = Files.walk(root)) {
        for (Path link : unpacked.filter(Files::isSymbolicLink).toList()) {
          for (String suffix : SUFFIXES) {
            Path followed = suffix.isEmpty() ? link : link.resolve(suffix);
            if (Files.exists(followed)) {
              assertThat(followed.toRealPath()).as("%s followed by the kernel", root.relativize(followed))
                  .startsWith(realRoot);
            }
          }
        }
      }
    } finally {
      Directories.deleteTree(outer);
    }
  }

  @Provide
  Arbitrary<List<LayerEntry>> archives() {
    Arbitrary<String> names = Arbitraries.of("a", "b", "c", "a/b", "b/a", "a/b/c", "c/a", "../a", "/a", "./b");
    Arbitrary<String> targets = Arbitraries.of("a", "b", "..", "../..", ".", "a/..", "b/../..", "../secret",
        "/etc", "c/a", "../root/a", "a/b/..");
    Arbitrary<LayerEntry> entry = Combinators.combine(Arbitraries.integers().between(0, 3), names, targets)
        .as((kind, name, target) -> switch (kind) {
          case 0 -> LayerEntry.file(name);
          case 1 -> LayerEntry.directory(name);
          case 2 -> LayerEntry.hardlink(name, target);
          default -> LayerEntry.symlink(name, target);
        });
    return entry.list().ofMinSize(1).ofMaxSize(6);
  }

  private static void write(Path tar, List<LayerEntry> entries) throws IOException {
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      for (LayerEntry entry : entries) {
        TarArchiveEntry tarEntry = switch (entry.kind()) {
          case SYMLINK -> new TarArchiveEntry(entry.name(), TarArchiveEntry.LF_SYMLINK, true);
          case HARDLINK -> new TarArchiveEntry(entry.name(), TarArchiveEntry.LF_LINK, true);
          case DIRECTORY -> new TarArchiveEntry(entry.name() + "/", true);
          default -> new TarArchiveEntry(entry.name(), true);
        };
        entry.linkTarget().ifPresent(tarEntry::setLinkName);
        byte[] content = entry.kind() == LayerEntry.Kind.FILE ? "x".getBytes(StandardCharsets.UTF_8) : new byte[0];
        tarEntry.setSize(content.length);
        out.putArchiveEntry(tarEntry);
        out.write(content);
        out.closeArchiveEntry();
      }
    }
  }

  private static Set<Path> listing(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      return paths.collect(Collectors.toSet());
    }
  }
}
