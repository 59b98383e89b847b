package dev.kos.agent.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Writes OCI image layouts as skopeo or jib would: blobs by digest, an index naming each image by tag. kos builds
 * images with it where there is no registry and no daemon (the demo's, the tests' and the benchmarks'); each layer
 * is a gzip-compressed tar of the entries given.
 */
public final class OciLayoutWriter {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One tar entry of a layer. */
  public record Entry(TarArchiveEntry header, byte[] content) {

    public static Entry dir(String name) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setMode(040755);
      return new Entry(entry, new byte[0]);
    }

    public static Entry file(String name, byte[] content, int mode) {
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(content.length);
      entry.setMode(0100000 | mode);
      return new Entry(entry, content);
    }

    public static Entry file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public static Entry symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return new Entry(entry, new byte[0]);
    }

    public static Entry hardlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return new Entry(entry, new byte[0]);
    }
  }

  private final Path layout;
  private final ArrayNode manifests;

  private OciLayoutWriter(Path layout) throws IOException {
    this.layout = layout;
    Files.createDirectories(layout.resolve("blobs/sha256"));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    this.manifests = JSON.createArrayNode();
    writeIndex();
  }

  /** Starts a layout at {@code layout} (created, with no image yet). */
  public static OciLayoutWriter layout(Path layout) throws IOException {
    return new OciLayoutWriter(layout);
  }

  public Path path() {
    return layout;
  }

  /** Adds an image of these layers (each gzip-compressed) under {@code tag}; returns its manifest digest. */
  public String add(String tag, List<String> cmd, List<List<Entry>> layers) throws IOException {
    ObjectNode config = JSON.createObjectNode();
    config.putObject("config").set("Cmd", JSON.valueToTree(cmd));
    config.putObject("rootfs").put("type", "layers");
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2).put("mediaType", OciLayout.MANIFEST_TYPE);
    manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", JSON.writeValueAsBytes(config)));
    ArrayNode layerDescriptors = manifest.putArray("layers");
    for (List<Entry> layer : layers) {
      layerDescriptors.add(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", gzip(tar(layer))));
    }
    ObjectNode entry = descriptor(OciLayout.MANIFEST_TYPE, JSON.writeValueAsBytes(manifest));
    entry.putObject("annotations").put(OciLayout.REF_NAME, tag);
    manifests.add(entry);
    writeIndex();
    return entry.get("digest").asText();
  }

  /** The file of a blob. */
  public Path blob(String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  private ObjectNode descriptor(String mediaType, byte[] content) throws IOException {
    String digest = "sha256:" + HexFormat.of().formatHex(sha256(content));
    Files.write(blob(digest), content);
    ObjectNode descriptor = JSON.createObjectNode();
    descriptor.put("mediaType", mediaType).put("digest", digest).put("size", content.length);
    return descriptor;
  }

  private void writeIndex() throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.set("manifests", manifests);
    Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
  }

  public static byte[] tar(List<Entry> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Entry entry : entries) {
        tar.putArchiveEntry(entry.header());
        tar.write(entry.content());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  public static byte[] gzip(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GzipCompressorOutputStream(bytes)) {
      out.write(content);
    }
    return bytes.toByteArray();
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
