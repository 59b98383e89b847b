package dev.kos.agent.image;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.hardlink;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layers unpacked onto a real directory: what lands where, and what never lands outside the root. */
class LayerUnpackerTest {

  @TempDir
  Path dir;

  private Path root;
  private Path host;

  @BeforeEach
  void hostFiles() throws IOException {
    root = dir.resolve("rootfs");
    host = Files.createDirectories(dir.resolve("host-etc"));
    Files.writeString(host.resolve("passwd"), "root:x:0:0\n");
  }

  @Test
  void shouldUnpackFilesDirectoriesLinksAndModesThroughMergedUsr() throws Exception {
    LayerUnpacker unpacker = new LayerUnpacker(root, 1 << 20);
    unpacker.unpack(gzip(layer(List.of(
        dir("usr/"), dir("usr/bin/"), symlink("bin", "usr/bin"),
        file("bin/busybox", "#!busybox", 04755), symlink("bin/sh", "/bin/busybox"),
        hardlink("bin/ls", "bin/busybox"), file("etc/hosts", "127.0.0.1 localhost", 0644)))));

    assertThat(Files.readString(root.resolve("usr/bin/busybox"))).isEqualTo("#!busybox");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/busybox"))))
        .as("setuid dropped").isEqualTo("rwxr-xr-x");
    assertThat(Files.readSymbolicLink(root.resolve("bin"))).isEqualTo(Path.of("usr/bin"));
    assertThat(Files.readSymbolicLink(root.resolve("usr/bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
    assertThat(Files.isSameFile(root.resolve("usr/bin/ls"), root.resolve("usr/bin/busybox"))).isTrue();
    assertThat(Files.readString(root.resolve("etc/hosts"))).isEqualTo("127.0.0.1 localhost");
    assertThat(unpacker.bytesWritten()).isEqualTo("#!busybox".length() + "127.0.0.1 localhost".length());
  }

  @Test
  void shouldApplyWhiteoutsAndOpaqueDirectoriesOfALaterLayer() throws Exception {
    LayerUnpacker unpacker = new LayerUnpacker(root, 1 << 20);
    unpacker.unpack(new ByteArrayInputStream(layer(List.of(file("etc/motd", "hi", 0644),
        file("var/cache/a", "a", 0644), file("var/cache/b/c", "c", 0644), symlink("etc/link", "motd")))));
    unpacker.unpack(new ByteArrayInputStream(layer(List.of(file("etc/.wh.motd", "", 0644),
        file("var/cache/new", "new", 0644), file("var/cache/.wh..wh..opq", "", 0644),
        file("etc/link", "now a file", 0644)))));

    assertThat(root.resolve("etc/motd")).doesNotExist();
    assertThat(root.resolve("var/cache/a")).doesNotExist();
    assertThat(root.resolve("var/cache/b")).doesNotExist();
    assertThat(Files.readString(root.resolve("var/cache/new"))).as("this layer's own entry stays").isEqualTo("new");
    assertThat(Files.isSymbolicLink(root.resolve("etc/link"))).isFalse();
    assertThat(Files.readString(root.resolve("etc/link"))).isEqualTo("now a file");
    assertThat(root.resolve("var/cache/.wh..wh..opq")).doesNotExist();
  }

  @Test
  void shouldWriteThroughAnAbsoluteSymlinkInsideTheRootNeverOnTheHost() throws Exception {
    new LayerUnpacker(root, 1 << 20).unpack(new ByteArrayInputStream(layer(List.of(
        symlink("evil", host.toString()), file("evil/passwd", "owned", 0644)))));

    assertThat(Files.readString(host.resolve("passwd"))).as("the host's file").isEqualTo("root:x:0:0\n");
    assertThat(Files.readString(root.resolve(host.toString().substring(1)).resolve("passwd"))).isEqualTo("owned");
  }

  @Test
  void shouldRefuseANameThatClimbsOutOfTheRoot() {
    assertThatThrownBy(() -> new LayerUnpacker(root, 1 << 20).unpack(new ByteArrayInputStream(layer(List.of(
        file("ok", "fine", 0644), file("../host-etc/passwd", "owned", 0644))))))
        .isInstanceOf(ImageException.class)
        .hasMessage("layer 1: entry ../host-etc/passwd has a '..' component in its name (../host-etc/passwd); "
            + "kos refuses the image");
    assertThat(host.resolve("passwd")).hasContent("root:x:0:0");
  }

  @Test
  void shouldRefuseASymlinkOutOfTheRootAndAHardLinkToAHostFile() throws Exception {
    assertThatThrownBy(() -> new LayerUnpacker(root, 1 << 20).unpack(new ByteArrayInputStream(layer(List.of(
        symlink("up", "../host-etc"))))))
        .isInstanceOf(ImageException.class).hasMessageContaining("entry up is a symlink to ../host-etc, which leads "
            + "out of the image's root");
    assertThatThrownBy(() -> new LayerUnpacker(dir.resolve("other"), 1 << 20).unpack(new ByteArrayInputStream(
        layer(List.of(hardlink("shadow", host.resolve("passwd").toString()))))))
        .isInstanceOf(ImageException.class).hasMessageContaining("has an absolute path as its link target");
    assertThat(Files.getLastModifiedTime(host.resolve("passwd"))).isNotNull();
    assertThat(Files.readString(host.resolve("passwd"))).isEqualTo("root:x:0:0\n");
    assertThat(Files.exists(root.resolve("up"), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void shouldRefuseAnImageLargerThanTheLimit() {
    assertThatThrownBy(() -> new LayerUnpacker(root, 10).unpack(new ByteArrayInputStream(layer(List.of(
        file("a", "123456", 0644), file("b", "789012", 0644))))))
        .isInstanceOf(ImageException.class)
        .hasMessageContaining("the image unpacks to more than 10 bytes (reached at b)");
  }

  @Test
  void shouldRefuseAnArchiveThatIsNoTar() {
    assertThatThrownBy(() -> new LayerUnpacker(root, 1 << 20).unpack(new ByteArrayInputStream(
        "this is not a tar archive, only words".repeat(20).getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ImageException.class).hasMessageContaining("layer 1 could not be unpacked");
  }

  private static OciLayoutWriter.Entry file(String name, String content, int mode) {
    return OciLayoutWriter.Entry.file(name, content.getBytes(StandardCharsets.UTF_8), mode);
  }

  private static byte[] layer(List<OciLayoutWriter.Entry> entries) throws IOException {
    return OciLayoutWriter.tar(entries);
  }

  private static ByteArrayInputStream gzip(byte[] tar) throws IOException {
    return new ByteArrayInputStream(OciLayoutWriter.gzip(tar));
  }
}
