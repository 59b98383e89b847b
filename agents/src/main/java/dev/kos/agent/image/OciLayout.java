package dev.kos.agent.image;

import dev.kos.agent.image.core.ImageConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.model.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An image in an OCI image layout directory ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}):
 * the manifest a reference names, its config, and its layers, each blob checked against the digest and size its
 * descriptor gives before it is trusted.
 */
public final class OciLayout {

  static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String REF_NAME = "org.opencontainers.image.ref.name";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A blob named by digest, with the size its descriptor promises. */
  public record Blob(String digest, long size, String mediaType) {
  }

  /** The manifest a reference resolved to. */
  public record Image(String manifestDigest, ImageConfig config, List<Blob> layers) {
  }

  private final Path layout;

  public OciLayout(Path layout) {
    this.layout = layout;
  }

  /** Resolves {@code reference} to its manifest, config and layer list, checking the manifest's and config's digests. */
  public Image resolve(ImageReference reference) throws ImageException {
    if (!Files.isRegularFile(layout.resolve("oci-layout"))) {
      throw new ImageException("image " + reference + ": " + layout + " is no OCI image layout (no oci-layout file)");
    }
    JsonNode index = json(layout.resolve("index.json"), reference + "'s index.json");
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode manifest : index.path("manifests")) {
      String tag = manifest.path("annotations").path(REF_NAME).asText(null);
      boolean wanted = reference.digest().map(d -> d.equals(manifest.path("digest").asText()))
          .orElseGet(() -> reference.tag().map(t -> t.equals(tag)).orElse(true));
      if (wanted) {
        candidates.add(manifest);
      }
    }
    if (candidates.size() != 1) {
      throw new ImageException("image " + reference + ": the layout has " + candidates.size() + " images that match"
          + (candidates.isEmpty() ? "" : "; name one by :TAG or @sha256:HEX"));
    }
    Blob manifestBlob = descriptor(candidates.get(0), reference);
    JsonNode manifest = parse(readVerified(manifestBlob, reference), reference, "manifest");
    Blob configBlob = descriptor(manifest.path("config"), reference);
    JsonNode config = parse(readVerified(configBlob, reference), reference, "config").path("config");
    List<Blob> layers = new ArrayList<>();
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(descriptor(layer, reference));
    }
    return new Image(manifestBlob.digest(), new ImageConfig(strings(config.path("Entrypoint")),
        strings(config.path("Cmd")), strings(config.path("Env")), text(config.path("WorkingDir")),
        text(config.path("User"))), layers);
  }

  /** Checks a blob's size and digest, streaming it; nothing of a blob is used before it passed. */
  public void verify(Blob blob, ImageReference reference) throws ImageException {
    Path path = blobPath(blob, reference);
    MessageDigest digest = sha256();
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(path), digest)) {
      size = in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new ImageException("image " + reference + ": cannot read blob " + blob.digest() + ": " + e.getMessage(), e);
    }
    String actual = "sha256:" + HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(blob.digest()) || size != blob.size()) {
      throw new ImageException("image " + reference + ": blob " + blob.digest() + " hashes to " + actual + " ("
          + size + " bytes, " + blob.size() + " promised): the image is corrupt");
    }
  }

  /** Opens a blob that {@link #verify} passed. */
  public InputStream open(Blob blob, ImageReference reference) throws ImageException {
    try {
      return Files.newInputStream(blobPath(blob, reference));
    } catch (IOException e) {
      throw new ImageException("image " + reference + ": cannot read blob " + blob.digest() + ": " + e.getMessage(), e);
    }
  }

  private byte[] readVerified(Blob blob, ImageReference reference) throws ImageException {
    Path path = blobPath(blob, reference);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException e) {
      throw new ImageException("image " + reference + ": cannot read blob " + blob.digest() + ": " + e.getMessage(), e);
    }
    String actual = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    if (!actual.equals(blob.digest()) || bytes.length != blob.size()) {
      throw new ImageException("image " + reference + ": blob " + blob.digest() + " hashes to " + actual + " ("
          + bytes.length + " bytes, " + blob.size() + " promised): the image is corrupt");
    }
    return bytes;
  }

  private Path blobPath(Blob blob, ImageReference reference) throws ImageException {
    String[] parts = blob.digest().split(":", 2);
    if (parts.length != 2 || !parts[0].equals("sha256") || !parts[1].matches("[0-9a-f]{64}")) {
      throw new ImageException("image " + reference + ": " + blob.digest() + " is no sha256 digest kos can check");
    }
    Path path = layout.resolve("blobs").resolve("sha256").resolve(parts[1]);
    if (!Files.isRegularFile(path)) {
      throw new ImageException("image " + reference + ": blob " + blob.digest() + " is missing from " + layout);
    }
    return path;
  }

  private static Blob descriptor(JsonNode node, ImageReference reference) throws ImageException {
    if (!node.path("digest").isTextual() || !node.path("size").canConvertToLong()) {
      throw new ImageException("image " + reference + ": a descriptor without digest or size: " + node);
    }
    return new Blob(node.path("digest").asText(), node.path("size").asLong(), node.path("mediaType").asText(""));
  }

  private static JsonNode json(Path file, String what) throws ImageException {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ImageException(what + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(byte[] bytes, ImageReference reference, String what) throws ImageException {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ImageException("image " + reference + ": its " + what + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty() ? Optional.of(node.asText()) : Optional.empty();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
