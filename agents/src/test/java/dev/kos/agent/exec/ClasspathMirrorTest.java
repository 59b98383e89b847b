package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.exec.ClasspathMirror.Entry;
import dev.kos.agent.exec.ClasspathMirror.Placement;
import dev.kos.agent.exec.ClasspathMirror.Planned;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMirrorTest {

  @Test
  void shouldLinkReadableJarsCopyTheOthersAndDirectoriesAndLeaveOutWhatIsMissingInOrder() {
    List<Planned> plan = ClasspathMirror.plan(List.of(
        new Entry("/root/.m2/a/kafka.jar", true, false, true),
        new Entry("/root/secret/own.jar", true, false, false),
        new Entry("/work/kos/cli/target/classes", false, true, false),
        new Entry("/gone/x.jar", false, false, false),
        new Entry("/other/kafka.jar", true, false, true)));

    assertThat(plan).extracting(Planned::placement, Planned::name).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Placement.LINK, "000-kafka.jar"),
        org.assertj.core.groups.Tuple.tuple(Placement.COPY, "001-own.jar"),
        org.assertj.core.groups.Tuple.tuple(Placement.TREE, "002-classes"),
        org.assertj.core.groups.Tuple.tuple(Placement.SKIP, null),
        org.assertj.core.groups.Tuple.tuple(Placement.LINK, "003-kafka.jar"));
  }

  @Test
  void shouldMirrorAClasspathOnceReadableByOthers(@TempDir Path dir) throws Exception {
    Path readable = Files.writeString(dir.resolve("readable.jar"), "a");
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rw-r--r--"));
    Path ownerOnly = Files.writeString(dir.resolve("owner-only.jar"), "b");
    Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("rw-------"));
    Path classes = Files.createDirectories(dir.resolve("classes/dev/kos"));
    Path clazz = Files.writeString(classes.resolve("Main.class"), "c");
    Files.setPosixFilePermissions(clazz, PosixFilePermissions.fromString("rw-------"));
    String classpath = String.join(":", readable.toString(), ownerOnly.toString(), dir.resolve("classes").toString(),
        dir.resolve("missing.jar").toString());
    ClasspathMirror mirror = new ClasspathMirror(dir.resolve("work/lib"), classpath);

    List<Path> mirrored = java.util.Arrays.stream(mirror.classpath().split(":")).map(Path::of).toList();

    assertThat(mirrored).hasSize(3);
    assertThat(mirrored).extracting(path -> path.getFileName().toString())
        .containsExactly("000-readable.jar", "001-owner-only.jar", "002-classes");
    assertThat(Files.isSameFile(mirrored.get(0), readable)).as("a hard link, not a copy").isTrue();
    assertThat(Files.isSameFile(mirrored.get(1), ownerOnly)).isFalse();
    assertThat(mirrored.get(1)).hasContent("b");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mirrored.get(1)))).isEqualTo("rw-r--r--");
    Path copiedClass = mirrored.get(2).resolve("dev/kos/Main.class");
    assertThat(copiedClass).hasContent("c");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copiedClass))).isEqualTo("rw-r--r--");
    // A second agent run on the same work dir finds it whole and builds nothing.
    assertThat(new ClasspathMirror(dir.resolve("work/lib"), classpath).classpath()).isEqualTo(mirror.classpath());
    try (var entries = Files.list(dir.resolve("work/lib"))) {
      assertThat(entries).hasSize(1);
    }
  }

  @Test
  void shouldPlaceADirectorysJarsAsADirectoryOfThemAndLeaveOutAMissingOne() {
    List<Planned> plan = ClasspathMirror.plan(List.of(
        new Entry("/root/job/kos-analytics-job.jar", true, false, true),
        new Entry("/root/job/lib", false, true, false, true),
        new Entry("/gone", false, false, false, true)));

    assertThat(plan).extracting(Planned::placement, Planned::name).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Placement.LINK, "000-kos-analytics-job.jar"),
        org.assertj.core.groups.Tuple.tuple(Placement.JARS, "001-lib"),
        org.assertj.core.groups.Tuple.tuple(Placement.SKIP, null));
  }

  @Test
  void shouldMirrorTheJarsOfADirectoryWildcardAndNothingElseOfIt(@TempDir Path dir) throws Exception {
    Path lib = Files.createDirectories(dir.resolve("job/lib"));
    Path readable = Files.writeString(lib.resolve("spark.jar"), "a");
    Path ownerOnly = Files.writeString(lib.resolve("OWN.JAR"), "b");
    Files.setPosixFilePermissions(ownerOnly, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(lib.resolve("notes.txt"), "not a jar");
    Path sandbox = dir.resolve("sandbox/.kos/classpath");

    String mirrored = ClasspathMirror.forTask(sandbox, lib + "/*").classpath();

    assertThat(mirrored).endsWith("/000-lib/*").startsWith(sandbox.toString());
    Path jars = Path.of(mirrored.substring(0, mirrored.length() - 2));
    try (var entries = Files.list(jars)) {
      assertThat(entries.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("spark.jar",
          "OWN.JAR");
    }
    assertThat(Files.isSameFile(jars.resolve("spark.jar"), readable)).as("a hard link, not a copy").isTrue();
    assertThat(jars.resolve("OWN.JAR")).hasContent("b");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jars.resolve("OWN.JAR"))))
        .isEqualTo("rw-r--r--");
  }
}
