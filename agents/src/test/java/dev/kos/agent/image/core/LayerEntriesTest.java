package dev.kos.agent.image.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.image.core.EntryAction.HideLowerContents;
import dev.kos.agent.image.core.EntryAction.MakeDirectory;
import dev.kos.agent.image.core.EntryAction.MakeHardlink;
import dev.kos.agent.image.core.EntryAction.MakeSymlink;
import dev.kos.agent.image.core.EntryAction.Refuse;
import dev.kos.agent.image.core.EntryAction.Remove;
import dev.kos.agent.image.core.EntryAction.Skip;
import dev.kos.agent.image.core.EntryAction.WriteFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LayerEntriesTest {

  /** The root as lower layers left it: merged /usr, an absolute symlink, a chain, a loop. */
  private static final Map<String, String> LINKS = Map.of(
      "bin", "usr/bin",
      "etc-link", "/etc",
      "var/run", "/run",
      "deep/up", "../usr",
      "loop-a", "loop-b",
      "loop-b", "loop-a",
      "escape", "../../outside");

  private static final SymlinksOnDisk DISK = path -> Optional.ofNullable(LINKS.get(path));

  static Stream<Arguments> entries() {
    return Stream.of(
        Arguments.of("a plain file", LayerEntry.file("etc/hosts"), new WriteFile("etc/hosts")),
        Arguments.of("a leading ./ is the archive's root", LayerEntry.file("./etc/hosts"), new WriteFile("etc/hosts")),
        Arguments.of("a directory", LayerEntry.directory("usr/lib/"), new MakeDirectory("usr/lib")),
        Arguments.of("the root's own entry", LayerEntry.directory("./"), new Skip("./", "the root itself")),
        Arguments.of("through merged /usr", LayerEntry.file("bin/sh"), new WriteFile("usr/bin/sh")),
        Arguments.of("a directory over a symlink to one", LayerEntry.directory("bin"), new MakeDirectory("usr/bin")),
        Arguments.of("through an absolute symlink: inside the root", LayerEntry.file("etc-link/passwd"),
            new WriteFile("etc/passwd")),
        Arguments.of("through /var/run -> /run", LayerEntry.file("var/run/app.pid"), new WriteFile("run/app.pid")),
        Arguments.of("through a relative symlink that climbs, inside the root", LayerEntry.file("deep/up/x"),
            new WriteFile("usr/x")),
        Arguments.of("a file replaces a symlink, never follows it", LayerEntry.file("etc-link"),
            new WriteFile("etc-link")),
        Arguments.of("an absolute symlink is kept as written", LayerEntry.symlink("bin/sh", "/bin/busybox"),
            new MakeSymlink("usr/bin/sh", "/bin/busybox")),
        Arguments.of("a relative symlink inside the root", LayerEntry.symlink("usr/lib/x", "../../etc/x"),
            new MakeSymlink("usr/lib/x", "../../etc/x")),
        Arguments.of("a hard link", LayerEntry.hardlink("usr/bin/vi", "usr/bin/vim"),
            new MakeHardlink("usr/bin/vi", "usr/bin/vim")),
        Arguments.of("a hard link through merged /usr", LayerEntry.hardlink("bin/vi", "bin/vim"),
            new MakeHardlink("usr/bin/vi", "usr/bin/vim")),
        Arguments.of("a whiteout", LayerEntry.file("etc/.wh.motd"), new Remove("etc/motd")),
        Arguments.of("a whiteout through merged /usr", LayerEntry.file("bin/.wh.ls"), new Remove("usr/bin/ls")),
        Arguments.of("an opaque whiteout", LayerEntry.file("var/cache/.wh..wh..opq"),
            new HideLowerContents("var/cache")),
        Arguments.of("a device", new LayerEntry("dev/null", LayerEntry.Kind.SPECIAL, Optional.empty()),
            new Skip("dev/null", "a device or fifo: runc gives a container its devices")),
        Arguments.of("an absolute name", LayerEntry.file("/etc/passwd"),
            new Refuse("/etc/passwd", "has an absolute path as its name (/etc/passwd)")),
        Arguments.of("a '..' name", LayerEntry.file("../../etc/passwd"),
            new Refuse("../../etc/passwd", "has a '..' component in its name (../../etc/passwd)")),
        Arguments.of("a '..' inside a name", LayerEntry.file("usr/../../x"),
            new Refuse("usr/../../x", "has a '..' component in its name (usr/../../x)")),
        Arguments.of("a symlink out of the root", LayerEntry.symlink("usr/evil", "../../etc"),
            new Refuse("usr/evil", "is a symlink to ../../etc, which leads out of the image's root")),
        Arguments.of("a symlink out of the root through merged /usr", LayerEntry.symlink("bin/evil", "../../../x"),
            new Refuse("bin/evil", "is a symlink to ../../../x, which leads out of the image's root")),
        Arguments.of("a hard link out of the root", LayerEntry.hardlink("x", "../../etc/shadow"),
            new Refuse("x", "has a '..' component in its link target (../../etc/shadow)")),
        Arguments.of("a hard link to an absolute name", LayerEntry.hardlink("x", "/etc/shadow"),
            new Refuse("x", "has an absolute path as its link target (/etc/shadow)")),
        Arguments.of("through a symlink that escapes (left by a lower layer)", LayerEntry.file("escape/x"),
            new Refuse("escape/x", "goes through a symlink that leads out of the image's root")),
        Arguments.of("through a symlink loop", LayerEntry.file("loop-a/x"),
            new Refuse("loop-a/x", "goes through more than 40 symlinks")),
        Arguments.of("a whiteout of nothing", LayerEntry.file("etc/.wh."),
            new Refuse("etc/.wh.", "is a whiteout of nothing (\".wh.\")")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void shouldDecideWhatAnEntryMayDo(String what, LayerEntry entry, EntryAction expected) {
    assertThat(LayerEntries.decide(entry, DISK)).isEqualTo(expected);
  }

  /** Whatever the names, targets and symlinks already there: nothing decided reaches outside the root. */
  @Property(tries = 2000)
  void noDecidedPathLeavesTheRoot(@ForAll("names") String name, @ForAll("kinds") LayerEntry.Kind kind,
      @ForAll("names") String target, @ForAll("disks") Map<String, String> links) {
    Optional<String> linkTarget = kind == LayerEntry.Kind.SYMLINK || kind == LayerEntry.Kind.HARDLINK
        ? Optional.of(target) : Optional.empty();
    EntryAction action = LayerEntries.decide(new LayerEntry(name, kind, linkTarget),
        path -> Optional.ofNullable(links.get(path)));
    for (String path : pathsOf(action)) {
      assertThat(path).as("%s from %s", action, name).doesNotStartWith("/");
      assertThat(List.of(path.split("/"))).as("%s from %s", action, name).doesNotContain("..");
    }
  }

  private static List<String> pathsOf(EntryAction action) {
    List<String> paths = new ArrayList<>();
    if (action instanceof MakeDirectory a) {
      paths.add(a.path());
    } else if (action instanceof WriteFile a) {
      paths.add(a.path());
    } else if (action instanceof MakeSymlink a) {
      paths.add(a.path());
    } else if (action instanceof MakeHardlink a) {
      paths.add(a.path());
      paths.add(a.existing());
    } else if (action instanceof Remove a) {
      paths.add(a.path());
    } else if (action instanceof HideLowerContents a) {
      paths.add(a.directory());
    }
    return paths;
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("a", "b", "..", ".", "", ".wh.a", ".wh..wh..opq", "/")
        .list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("/", parts));
  }

  @Provide
  Arbitrary<LayerEntry.Kind> kinds() {
    return Arbitraries.of(LayerEntry.Kind.class);
  }

  @Provide
  Arbitrary<Map<String, String>> disks() {
    Arbitrary<String> paths = Arbitraries.of("a", "b", "a/b", "b/a", "a/a");
    Arbitrary<String> targets = Arbitraries.of("a", "b", "..", "../..", "/", "/a", "../a", "a/../..", "/b/../..");
    return Arbitraries.maps(paths, targets).ofMaxSize(4);
  }
}
