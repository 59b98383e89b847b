package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.Artifact.ArchiveFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArtifactTest {

  private static final String DIGEST = "a".repeat(64);

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("a file keeps the URI's last segment", Artifact.of("http://repo:8080/dist/app-1.jar"),
            "app-1.jar", Optional.empty()),
        Arguments.of("a query is not part of the name", Artifact.of("https://repo/get/tool?v=2"), "tool",
            Optional.empty()),
        Arguments.of("a destination renames it", Artifact.of("file:/srv/x/app.jar").at("lib/app.jar"), "lib/app.jar",
            Optional.empty()),
        Arguments.of("an archive lands in the sandbox", Artifact.of("http://h/a.tar.gz").extracted(), "",
            Optional.of(ArchiveFormat.TAR_GZIP)),
        Arguments.of("an archive into a directory", Artifact.of("http://h/a.TGZ").extracted().at("tools"), "tools",
            Optional.of(ArchiveFormat.TAR_GZIP)),
        Arguments.of("a zip", Artifact.of("file:/srv/a.zip").extracted(), "", Optional.of(ArchiveFormat.ZIP)),
        Arguments.of("a tar", Artifact.of("file:/srv/a.tar").extracted(), "", Optional.of(ArchiveFormat.TAR)),
        Arguments.of("a zip kept as a file", Artifact.of("file:/srv/a.zip"), "a.zip", Optional.empty()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("targets")
  void shouldLandWhereItsNameAndDestinationSay(String name, Artifact artifact, String target,
      Optional<ArchiveFormat> format) {
    assertThat(artifact.target()).isEqualTo(target);
    assertThat(artifact.archiveFormat()).isEqualTo(format);
  }

  static Stream<Arguments> refusals() {
    return Stream.<Arguments>of(
        Arguments.of("ftp", (Supplier<Artifact>) () -> Artifact.of("ftp://h/a.jar"), "file:, http: and https:"),
        Arguments.of("no scheme", (Supplier<Artifact>) () -> Artifact.of("/srv/a.jar"), "file:, http: and https:"),
        Arguments.of("a relative file:", (Supplier<Artifact>) () -> Artifact.of("file:a.jar"), "absolute path"),
        Arguments.of("no host", (Supplier<Artifact>) () -> Artifact.of("http:///a.jar"), "names no host"),
        Arguments.of("not a URI", (Supplier<Artifact>) () -> Artifact.of("http://h/a b"), "is not a URI"),
        Arguments.of("no file name", (Supplier<Artifact>) () -> Artifact.of("http://h/dist/"), "names no file"),
        Arguments.of("a short digest", (Supplier<Artifact>) () -> Artifact.of("http://h/a").withSha256("abc"),
            "64 lower-case hex"),
        Arguments.of("an upper-case digest",
            (Supplier<Artifact>) () -> Artifact.of("http://h/a").withSha256(DIGEST.toUpperCase()), "64 lower-case hex"),
        Arguments.of("an absolute destination", (Supplier<Artifact>) () -> Artifact.of("http://h/a").at("/etc/a"),
            "is absolute"),
        Arguments.of("a climbing destination", (Supplier<Artifact>) () -> Artifact.of("http://h/a").at("x/../../a"),
            "'..'"),
        Arguments.of("kos's own stdout", (Supplier<Artifact>) () -> Artifact.of("http://h/a").at("stdout"),
            "kos's own"),
        Arguments.of("kos's own by the URI", (Supplier<Artifact>) () -> Artifact.of("http://h/x/.kos"), "kos's own"),
        Arguments.of("into kos's meta dir", (Supplier<Artifact>) () -> Artifact.of("http://h/a.tar").extracted()
            .at(".kos/x"), "kos's own"),
        Arguments.of("an unknown archive", (Supplier<Artifact>) () -> Artifact.of("http://h/a.rar").extracted(),
            ".tar, .tar.gz, .tgz or .zip"),
        Arguments.of("an executable archive",
            (Supplier<Artifact>) () -> Artifact.of("http://h/a.tar").extracted().asExecutable(), "single file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void shouldRefuseWhatNoAgentCouldFetchSafely(String name, Supplier<Artifact> artifact, String reason) {
    assertThatThrownBy(artifact::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  @org.junit.jupiter.api.Test
  void shouldNameTwoArtifactsThatWouldBeOneFile() {
    assertThat(Artifact.clash(java.util.List.of(Artifact.of("http://a/app.jar"), Artifact.of("file:/b/app.jar"))))
        .contains("artifacts http://a/app.jar and file:/b/app.jar would both be app.jar in the sandbox; give one a "
            + "destination");
    assertThat(Artifact.clash(java.util.List.of(Artifact.of("http://a/app.jar"), Artifact.of("file:/b/app.jar")
        .at("lib/app.jar"), Artifact.of("http://a/x.tgz").extracted(), Artifact.of("http://a/y.tgz").extracted())))
        .isEmpty();
  }

  @org.junit.jupiter.api.Test
  void shouldCarryADigest() {
    assertThat(Artifact.of("http://h/a").withSha256(DIGEST).sha256()).contains(DIGEST);
  }
}
