package dev.kos.agent.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.Artifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher's shell on file: URIs (HTTP is the integration test's): placing, the cache, and every refusal. */
class ArtifactFetcherTest {

  @TempDir
  Path dir;

  private ArtifactFetcher fetcher(long cacheBytes) {
    return new ArtifactFetcher(dir.resolve("cache"), new FetchSettings(cacheBytes, 1 << 20,
        FetchSettings.DEFAULTS.stallTimeout(), FetchSettings.DEFAULTS.retry()), Clock.systemUTC());
  }

  @Test
  void shouldPlaceAFileExecutableAndServeItFromTheCacheTheSecondTime() throws Exception {
    Path source = write("tool.sh", "#!/bin/sh\necho hi\n");
    Artifact artifact = Artifact.of(source.toUri().toString()).withSha256(sha256(source)).asExecutable();
    ArtifactFetcher fetcher = fetcher(1 << 20);

    fetcher.fetchNow("t1", List.of(artifact), dir.resolve("s1"), Optional.empty());
    Files.delete(source);
    fetcher.fetchNow("t2", List.of(artifact.at("bin/tool")), dir.resolve("s2"), Optional.empty());

    assertThat(dir.resolve("s1/tool.sh")).hasContent("#!/bin/sh\necho hi");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("s1/tool.sh"))))
        .isEqualTo("rwxr-xr-x");
    // The source is gone: the second task's copy can only have come from the cache.
    assertThat(dir.resolve("s2/bin/tool")).hasContent("#!/bin/sh\necho hi");
  }

  @Test
  void shouldFailOnADigestMismatchAndCacheNothingUnderTheExpectedDigest() throws Exception {
    Path source = write("app.jar", "not what was promised");
    Artifact artifact = Artifact.of(source.toUri().toString()).withSha256("0".repeat(64));

    assertThatThrownBy(() -> fetcher(1 << 20).fetchNow("t1", List.of(artifact), dir.resolve("s1"), Optional.empty()))
        .isInstanceOf(FetchException.class)
        .hasMessage("artifact " + artifact.uri() + ": its sha256 is " + sha256(source) + ", not the expected "
            + "0".repeat(64));
    assertThat(dir.resolve("s1/app.jar")).doesNotExist();
  }

  @Test
  void shouldNameAMissingFileAndAnArtifactTooBigForTheCache() throws Exception {
    Path big = write("big.bin", "x".repeat(2000));

    assertThatThrownBy(() -> fetcher(1000).fetchNow("t1", List.of(Artifact.of("file:/no/such.jar")),
        dir.resolve("s1"), Optional.empty()))
        .hasMessage("artifact file:/no/such.jar: there is no file /no/such.jar on this agent's host");
    assertThatThrownBy(() -> fetcher(1000).fetchNow("t1", List.of(Artifact.of(big.toUri().toString())),
        dir.resolve("s1"), Optional.empty()))
        .hasMessageEndingWith(": it is 2000 bytes, more than this agent takes (its artifact cache holds 1000 bytes)");
  }

  @Test
  void shouldEvictTheLeastRecentlyUsedArtifactToStayWithinItsBound() throws Exception {
    ArtifactFetcher fetcher = fetcher(100);
    Path first = write("first", "a".repeat(60));
    Path second = write("second", "b".repeat(60));

    fetcher.fetchNow("t1", List.of(Artifact.of(first.toUri().toString())), dir.resolve("s1"), Optional.empty());
    fetcher.fetchNow("t2", List.of(Artifact.of(second.toUri().toString())), dir.resolve("s2"), Optional.empty());

    assertThat(fetcher.bytesCached()).isEqualTo(60);
    assertThat(dir.resolve("cache/sha256/" + sha256(first))).doesNotExist();
    assertThat(dir.resolve("cache/sha256/" + sha256(second))).exists();
  }

  @Test
  void shouldUnpackATarGzAndAZipIntoTheSandbox() throws Exception {
    Path tgz = dir.resolve("tools.tgz");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tgz)))) {
      tarFile(tar, "bin/tool", "#!/bin/sh\n", 0755);
      TarArchiveEntry link = new TarArchiveEntry("bin/t", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("tool");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    Path zip = dir.resolve("web.zip");
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
      out.putArchiveEntry(new ZipArchiveEntry("www/index.html"));
      out.write("<p>hi</p>".getBytes(StandardCharsets.UTF_8));
      out.closeArchiveEntry();
    }

    fetcher(1 << 20).fetchNow("t1", List.of(Artifact.of(tgz.toUri().toString()).extracted(),
        Artifact.of(zip.toUri().toString()).extracted().at("site")), dir.resolve("s1"), Optional.empty());

    assertThat(dir.resolve("s1/bin/tool")).hasContent("#!/bin/sh");
    assertThat(Files.isExecutable(dir.resolve("s1/bin/tool"))).isTrue();
    assertThat(Files.readSymbolicLink(dir.resolve("s1/bin/t"))).isEqualTo(Path.of("tool"));
    assertThat(dir.resolve("s1/site/www/index.html")).hasContent("<p>hi</p>");
  }

  @Test
  void shouldRefuseAnArchiveWhoseEntryEscapesAndWriteNothing() throws Exception {
    Path tar = dir.resolve("evil.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      tarFile(out, "ok", "fine", 0644);
      tarFile(out, "../evil", "gotcha", 0644);
    }
    Artifact artifact = Artifact.of(tar.toUri().toString()).extracted().at("x");

    assertThatThrownBy(() -> fetcher(1 << 20).fetchNow("t1", List.of(artifact), dir.resolve("s1"), Optional.empty()))
        .hasMessage("artifact " + artifact.uri() + ": entry ../evil has an absolute path or a '..' component; kos "
            + "refuses the archive");
    assertThat(dir.resolve("s1/evil")).doesNotExist();
    assertThat(dir.resolve("s1/x/ok")).doesNotExist();
  }

  @Test
  void shouldNotWriteThroughASymlinkAnEarlierArtifactLeft() throws Exception {
    Path tar = dir.resolve("link.tar");
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      TarArchiveEntry link = new TarArchiveEntry("lib", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("real");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
    }
    Path jar = write("app.jar", "jar");
    Artifact into = Artifact.of(jar.toUri().toString()).at("lib/app.jar");

    assertThatThrownBy(() -> fetcher(1 << 20).fetchNow("t1", List.of(Artifact.of(tar.toUri().toString())
        .extracted(), into), dir.resolve("s1"), Optional.empty()))
        .hasMessageContaining("is a symlink; kos does not write through one");
    assertThat(Files.exists(dir.resolve("s1/real"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  private static void tarFile(TarArchiveOutputStream tar, String name, String content, int mode) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setMode(mode);
    tar.putArchiveEntry(entry);
    tar.write(bytes);
    tar.closeArchiveEntry();
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

}
