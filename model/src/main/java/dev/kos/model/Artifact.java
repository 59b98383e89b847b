package dev.kos.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A file the agent fetches into a task's sandbox before the task starts (Mesos's fetcher URIs), validated once
 * here: a framework's or a user's mistake is refused where it is made, not on an agent.
 *
 * @param uri         {@code file:/ABSOLUTE/PATH} on the agent's host, or {@code http://} / {@code https://}
 * @param sha256      the expected sha256 of the fetched bytes, 64 lower-case hex digits; given, the agent serves the
 *                    artifact from its cache without downloading it again, and any other content fails the task
 * @param extract     unpack it ({@code .tar}, {@code .tar.gz}/{@code .tgz}, {@code .zip}, by the URI's or the
 *                    destination's name) instead of keeping the file
 * @param executable  make the fetched file executable
 * @param destination a relative path in the sandbox: the file's name (default: the URI's last path segment), or
 *                    the directory an archive is unpacked into (default: the sandbox itself)
 */
public record Artifact(String uri, Optional<String> sha256, boolean extract, boolean executable,
    Optional<String> destination) {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Set<String> SCHEMES = Set.of("file", "http", "https");
  /** Names the agent keeps in every sandbox: an artifact may not replace them. */
  private static final Set<String> RESERVED = Set.of(".kos", "stdout", "stderr");

  /** What an artifact may be unpacked from, by its name's ending. */
  public enum ArchiveFormat {
    TAR(".tar"), TAR_GZIP(".tar.gz", ".tgz"), ZIP(".zip");

    private final List<String> suffixes;

    ArchiveFormat(String... suffixes) {
      this.suffixes = List.of(suffixes);
    }

    static Optional<ArchiveFormat> of(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      for (ArchiveFormat format : values()) {
        if (format.suffixes.stream().anyMatch(lower::endsWith)) {
          return Optional.of(format);
        }
      }
      return Optional.empty();
    }
  }

  public Artifact {
    Objects.requireNonNull(uri, "uri");
    sha256 = Objects.requireNonNull(sha256, "sha256").map(String::strip).filter(digest -> !digest.isEmpty());
    destination = Objects.requireNonNull(destination, "destination").map(String::strip)
        .filter(path -> !path.isEmpty());
    URI parsed = parse(uri);
    sha256.filter(digest -> !SHA256.matcher(digest).matches()).ifPresent(digest -> {
      throw new IllegalArgumentException("artifact " + uri + ": sha256 \"" + digest + "\" is not 64 lower-case hex "
          + "digits (as sha256sum prints them)");
    });
    destination.ifPresent(path -> checkRelative(uri, path));
    if (!extract) {
      checkRelative(uri, fileName(parsed, destination).orElseThrow(() -> new IllegalArgumentException(
          "artifact " + uri + ": its URI names no file; give it a destination name")));
    }
    if (extract && ArchiveFormat.of(parsed.getPath() == null ? "" : parsed.getPath()).isEmpty()) {
      throw new IllegalArgumentException("artifact " + uri + ": only a .tar, .tar.gz, .tgz or .zip can be "
          + "extracted (by the URI's name)");
    }
    if (extract && executable) {
      throw new IllegalArgumentException("artifact " + uri + ": an extracted archive keeps its entries' modes; "
          + "executable applies to a single file");
    }
  }

  /**
   * Why {@code artifacts} cannot all be fetched into one sandbox, if they cannot: two of them that would be the same
   * file.
   */
  public static Optional<String> clash(List<Artifact> artifacts) {
    java.util.Map<String, Artifact> files = new java.util.HashMap<>();
    for (Artifact artifact : artifacts) {
      if (!artifact.extract()) {
        Artifact before = files.putIfAbsent(artifact.target(), artifact);
        if (before != null) {
          return Optional.of("artifacts " + before.uri() + " and " + artifact.uri() + " would both be "
              + artifact.target() + " in the sandbox; give one a destination");
        }
      }
    }
    return Optional.empty();
  }

  /** A file at {@code uri}, kept as it is under its own name. */
  public static Artifact of(String uri) {
    return new Artifact(uri, Optional.empty(), false, false, Optional.empty());
  }

  public Artifact withSha256(String digest) {
    return new Artifact(uri, Optional.of(digest), extract, executable, destination);
  }

  public Artifact extracted() {
    return new Artifact(uri, sha256, true, false, destination);
  }

  public Artifact asExecutable() {
    return new Artifact(uri, sha256, extract, true, destination);
  }

  public Artifact at(String path) {
    return new Artifact(uri, sha256, extract, executable, Optional.of(path));
  }

  /** The URI, parsed (the constructor checked it parses). */
  public URI parsedUri() {
    return parse(uri);
  }

  /** How to unpack it; present exactly when {@link #extract} is set. */
  public Optional<ArchiveFormat> archiveFormat() {
    return extract ? ArchiveFormat.of(parsedUri().getPath()) : Optional.empty();
  }

  /**
   * Where it lands, relative to the sandbox: the file's path, or for an archive the directory it is unpacked into
   * ("" for the sandbox itself).
   */
  public String target() {
    if (extract) {
      return destination.orElse("");
    }
    return fileName(parsedUri(), destination).orElseThrow();
  }

  private static Optional<String> fileName(URI uri, Optional<String> destination) {
    if (destination.isPresent()) {
      return destination;
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return last.isEmpty() || last.equals(".") || last.equals("..") ? Optional.empty() : Optional.of(last);
  }

  private static URI parse(String uri) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("artifact " + uri + " is not a URI: " + e.getMessage());
    }
    String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException("artifact " + uri + ": kos fetches file:, http: and https: URIs only");
    }
    if (scheme.equals("file") && (parsed.getPath() == null || !parsed.getPath().startsWith("/"))) {
      throw new IllegalArgumentException("artifact " + uri + ": a file: URI names an absolute path (file:/srv/x)");
    }
    if (!scheme.equals("file") && (parsed.getHost() == null || parsed.getHost().isEmpty())) {
      throw new IllegalArgumentException("artifact " + uri + ": names no host");
    }
    return parsed;
  }

  private static void checkRelative(String uri, String path) {
    if (path.startsWith("/")) {
      throw new IllegalArgumentException("artifact " + uri + ": destination \"" + path + "\" is absolute; it is a "
          + "path in the task's sandbox");
    }
    String[] parts = path.split("/");
    for (String part : parts) {
      if (part.equals("..") || part.equals(".") || part.isEmpty() && parts.length > 1) {
        throw new IllegalArgumentException("artifact " + uri + ": destination \"" + path + "\" may not have '.', "
            + "'..' or empty parts");
      }
    }
    if (RESERVED.contains(parts[0])) {
      throw new IllegalArgumentException("artifact " + uri + ": destination \"" + path + "\" is kos's own ("
          + String.join(", ", RESERVED.stream().sorted().toList()) + ")");
    }
  }
}
