package dev.kos.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a task's image is, in skopeo's words: {@code oci:PATH[:TAG]} for an OCI image layout directory, with
 * {@code @sha256:HEX} in place of {@code :TAG} to pin a manifest by digest. Without either, the layout must hold
 * exactly one image. No registry is reachable from kos's machines, so there is no {@code docker://} here yet.
 */
public record ImageReference(String layout, Optional<String> tag, Optional<String> digest) {

  private static final String SCHEME = "oci:";
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

  public ImageReference {
    Objects.requireNonNull(layout, "layout");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(digest, "digest");
  }

  /** Parses a reference, or says in words what is wrong with it. */
  public static ImageReference parse(String reference) {
    if (reference == null || !reference.startsWith(SCHEME)) {
      throw new IllegalArgumentException("image " + reference + " is not oci:PATH[:TAG] or oci:PATH@sha256:HEX "
          + "(an OCI image layout directory, as skopeo copy ... oci:PATH:TAG writes one)");
    }
    String rest = reference.substring(SCHEME.length());
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String digest = rest.substring(at + 1);
      if (!DIGEST.matcher(digest).matches()) {
        throw new IllegalArgumentException("image " + reference + " pins " + digest + ", which is no sha256:HEX "
            + "digest (64 lower-case hex digits)");
      }
      return new ImageReference(path(rest.substring(0, at), reference), Optional.empty(), Optional.of(digest));
    }
    int colon = rest.lastIndexOf(':');
    int slash = rest.lastIndexOf('/');
    if (colon > slash) {
      String tag = rest.substring(colon + 1);
      if (!TAG.matcher(tag).matches()) {
        throw new IllegalArgumentException("image " + reference + " has the tag \"" + tag + "\", which is no "
            + "tag (letters, digits, '.', '_', '-', up to 128)");
      }
      return new ImageReference(path(rest.substring(0, colon), reference), Optional.of(tag), Optional.empty());
    }
    return new ImageReference(path(rest, reference), Optional.empty(), Optional.empty());
  }

  private static String path(String path, String reference) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("image " + reference + " names a relative path; an agent runs anywhere, "
          + "so name the layout by its absolute path");
    }
    return path;
  }

  @Override
  public String toString() {
    return SCHEME + layout + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }
}
