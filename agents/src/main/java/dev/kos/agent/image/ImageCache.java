package dev.kos.agent.image;

import dev.kos.agent.image.core.ImageConfig;
import dev.kos.model.ImageReference;
import dev.kos.bus.files.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacked images on an agent, one root per manifest digest under {@code directory}. An image is unpacked into a
 * directory of its own and renamed into place only once every layer was verified and unpacked, so the cache holds
 * whole images or nothing: a refused, corrupt or oversize image leaves no trace but its error.
 */
public final class ImageCache {

  private static final Logger log = LoggerFactory.getLogger(ImageCache.class);

  /** An image ready to run: its root, what its config says, and whether it was unpacked before. */
  public record Unpacked(Path rootfs, ImageConfig config, String manifestDigest, boolean cached) {
  }

  private final Path directory;
  private final long maxImageBytes;
  private final Map<String, Object> unpacking = new ConcurrentHashMap<>();

  public ImageCache(Path directory, long maxImageBytes) {
    this.directory = directory;
    this.maxImageBytes = maxImageBytes;
  }

  /** The root of {@code reference}'s image, unpacked the first time it is asked for. */
  public Unpacked rootOf(ImageReference reference) throws ImageException {
    OciLayout layout = new OciLayout(Path.of(reference.layout()));
    OciLayout.Image image = layout.resolve(reference);
    String key = image.manifestDigest().substring("sha256:".length());
    Path target = directory.resolve(key);
    synchronized (unpacking.computeIfAbsent(key, k -> new Object())) {
      if (Files.isDirectory(target.resolve("rootfs"))) {
        return new Unpacked(target.resolve("rootfs"), image.config(), image.manifestDigest(), true);
      }
      Path staging = directory.resolve(".unpacking-" + key + "-" + UUID.randomUUID());
      try {
        LayerUnpacker unpacker = new LayerUnpacker(staging.resolve("rootfs"), maxImageBytes);
        for (OciLayout.Blob layer : image.layers()) {
          layout.verify(layer, reference);
          try (InputStream in = layout.open(layer, reference)) {
            unpacker.unpack(in);
          }
        }
        Files.createDirectories(staging.resolve("rootfs"));
        Files.createDirectories(directory);
        try {
          Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
          // unpacked by another agent process sharing the directory meanwhile: theirs is as good
        }
        log.info("image {} ({}) unpacked: {} layer(s), {} bytes", reference, image.manifestDigest(),
            image.layers().size(), unpacker.bytesWritten());
        return new Unpacked(target.resolve("rootfs"), image.config(), image.manifestDigest(), false);
      } catch (IOException e) {
        throw new ImageException("image " + reference + " could not be unpacked into " + directory + ": "
            + e.getMessage(), e);
      } finally {
        Directories.deleteTreeQuietly(staging)
            .ifPresent(e -> log.warn("could not remove {}: {}", staging, e.getMessage()));
      }
    }
  }
}
