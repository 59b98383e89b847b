package dev.kos.agent.fetch.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.image.core.LayerEntry;
import dev.kos.agent.image.core.SymlinksOnDisk;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArchiveEntriesTest {

  /** What an earlier artifact left in the directory: a link up to the root, and a link to a directory. */
  private static final Map<String, String> ON_DISK = Map.of("d/up", "..", "lib", "d");
  private static final SymlinksOnDisk DISK = path -> Optional.ofNullable(ON_DISK.get(path));

  static Stream<Arguments> archives() {
    return Stream.of(
        Arguments.of("files and directories", List.of(LayerEntry.directory("app/"), LayerEntry.file("app/run.sh"),
            LayerEntry.file("./README")), null),
        Arguments.of("a symlink inside", List.of(LayerEntry.file("bin/tool-1.2"), LayerEntry.symlink("bin/tool",
            "tool-1.2")), null),
        Arguments.of("a symlink up to the root, not beyond", List.of(LayerEntry.symlink("x/top", "..")), null),
        Arguments.of("a hard link to an earlier file", List.of(LayerEntry.file("a"), LayerEntry.hardlink("b", "a")),
            null),
        Arguments.of("a file over a symlink on the disk replaces it", List.of(LayerEntry.file("lib")), null),
        Arguments.of("an absolute name", List.of(LayerEntry.file("/etc/passwd")),
            "entry /etc/passwd has an absolute path or a '..' component"),
        Arguments.of("a '..' name (zip slip)", List.of(LayerEntry.file("app/../../evil")),
            "entry app/../../evil has an absolute path or a '..' component"),
        Arguments.of("an absolute symlink", List.of(LayerEntry.symlink("passwd", "/etc/passwd")),
            "entry passwd is a symlink to \"/etc/passwd\"; only relative links that stay in the sandbox are allowed"),
        Arguments.of("a symlink out", List.of(LayerEntry.symlink("up", "..")),
            "entry up is a symlink to .., which leads out of the sandbox"),
        Arguments.of("a symlink out from deeper", List.of(LayerEntry.symlink("a/b/up", "../../../x")),
            "entry a/b/up is a symlink to ../../../x, which leads out of the sandbox"),
        Arguments.of("a later symlink makes an earlier one escape",
            List.of(LayerEntry.symlink("e/c", "b/.."), LayerEntry.symlink("e/b", "..")),
            "entry e/c is a symlink to b/.., which leads out of the sandbox"),
        Arguments.of("a chain through a link on the disk", List.of(LayerEntry.symlink("e", "d/up/..")),
            "entry e is a symlink to d/up/.., which leads out of the sandbox"),
        Arguments.of("a loop", List.of(LayerEntry.symlink("p", "q"), LayerEntry.symlink("q", "p")),
            "entry p is a symlink to q, which leads out of the sandbox"),
        Arguments.of("writing through its own symlink", List.of(LayerEntry.symlink("l", "x"),
            LayerEntry.file("l/file")), "entry l/file goes through the symlink l"),
        Arguments.of("writing through a symlink that comes later", List.of(LayerEntry.file("x/y"),
            LayerEntry.symlink("x", "z")), "entry x/y goes through the symlink x"),
        Arguments.of("writing through a symlink on the disk", List.of(LayerEntry.file("lib/x")),
            "entry lib/x goes through the symlink lib"),
        Arguments.of("a hard link to nothing before it", List.of(LayerEntry.hardlink("b", "a"), LayerEntry.file("a")),
            "entry b is a hard link to a, which is no file before it in the archive"),
        Arguments.of("a hard link out", List.of(LayerEntry.hardlink("b", "../etc/shadow")),
            "entry b is a hard link to ../etc/shadow, which is no file before it in the archive"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("archives")
  void shouldRefuseWhatLeavesTheSandbox(String name, List<LayerEntry> entries, String refusal) {
    assertThat(ArchiveEntries.refusal(entries, DISK)).isEqualTo(Optional.ofNullable(refusal));
  }
}
