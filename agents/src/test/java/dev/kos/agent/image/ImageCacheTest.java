package dev.kos.agent.image;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Images from an OCI layout into the agent's cache: whole and verified, or refused with nothing left behind. */
class ImageCacheTest {

  @TempDir
  Path dir;

  private OciLayoutWriter images;
  private ImageCache cache;

  @BeforeEach
  void setUp() throws IOException {
    images = OciLayoutWriter.layout(dir.resolve("layout"));
    cache = new ImageCache(dir.resolve("cache"), 1 << 20);
  }

  @Test
  void shouldUnpackTheLayersInOrderOnceAndReuseThem() throws Exception {
    String digest = images.add("1.0", List.of("/bin/web"), List.of(
        List.of(dir("etc/"), file("etc/motd", "base"), file("etc/old", "old")),
        List.of(file("etc/motd", "upper"), file("etc/.wh.old", ""))));

    ImageCache.Unpacked first = cache.rootOf(ImageReference.parse("oci:" + images.path() + ":1.0"));
    ImageCache.Unpacked again = cache.rootOf(ImageReference.parse("oci:" + images.path() + "@" + digest));

    assertThat(first.cached()).isFalse();
    assertThat(again.cached()).isTrue();
    assertThat(again.rootfs()).isEqualTo(first.rootfs());
    assertThat(first.manifestDigest()).isEqualTo(digest);
    assertThat(first.config().cmd()).containsExactly("/bin/web");
    assertThat(first.rootfs().resolve("etc/motd")).hasContent("upper");
    assertThat(first.rootfs().resolve("etc/old")).doesNotExist();
  }

  @Test
  void shouldNameTheImageWhenTheLayoutHoldsSeveralAndNoTagWasGiven() throws Exception {
    images.add("a", List.of(), List.of(List.of(file("a", "a"))));
    images.add("b", List.of(), List.of(List.of(file("b", "b"))));

    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + images.path())))
        .isInstanceOf(ImageException.class).hasMessageContaining("the layout has 2 images that match; name one");
    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + images.path() + ":c")))
        .isInstanceOf(ImageException.class).hasMessageContaining("the layout has 0 images that match");
    assertThat(cache.rootOf(ImageReference.parse("oci:" + images.path() + ":b")).rootfs().resolve("b")).exists();
  }

  @Test
  void shouldRefuseACorruptLayerAndLeaveNothingInTheCache() throws Exception {
    String manifest = images.add("1.0", List.of(), List.of(List.of(file("a", "a"))));
    Path layer = layerOf(manifest);
    byte[] bytes = Files.readAllBytes(layer);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(layer, bytes);

    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + images.path() + ":1.0")))
        .isInstanceOf(ImageException.class).hasMessageContaining("hashes to").hasMessageContaining("the image is corrupt");
    assertThat(cacheEntries()).isEmpty();
  }

  @Test
  void shouldRefuseAMissingLayer() throws Exception {
    String manifest = images.add("1.0", List.of(), List.of(List.of(file("a", "a"))));
    Files.delete(layerOf(manifest));

    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + images.path() + ":1.0")))
        .isInstanceOf(ImageException.class).hasMessageContaining("is missing from " + images.path());
  }

  @Test
  void shouldRefuseAMaliciousLayerAndLeaveNothingInTheCache() throws Exception {
    images.add("evil", List.of(), List.of(List.of(file("ok", "fine")), List.of(symlink("up", "../../.."))));

    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + images.path() + ":evil")))
        .isInstanceOf(ImageException.class)
        .hasMessage("layer 2: entry up is a symlink to ../../.., which leads out of the image's root; kos refuses "
            + "the image");
    assertThat(cacheEntries()).isEmpty();
  }

  @Test
  void shouldRefuseADirectoryThatIsNoLayout() {
    assertThatThrownBy(() -> cache.rootOf(ImageReference.parse("oci:" + dir)))
        .isInstanceOf(ImageException.class).hasMessageContaining("is no OCI image layout");
  }

  private Path layerOf(String manifestDigest) throws IOException {
    String manifest = Files.readString(images.blob(manifestDigest));
    String layerDigest = manifest.replaceAll(".*\"layers\":\\[\\{[^}]*\"digest\":\"(sha256:[0-9a-f]+)\".*", "$1");
    return images.blob(layerDigest);
  }

  private List<Path> cacheEntries() throws IOException {
    if (!Files.exists(dir.resolve("cache"))) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir.resolve("cache"))) {
      return entries.toList();
    }
  }
}
