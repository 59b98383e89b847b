package dev.kos.agent.fetch;

import dev.kos.agent.fetch.core.CacheEntry;
import dev.kos.agent.fetch.core.CacheEviction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's artifacts by sha256 ({@code DIR/sha256/HEX}), within a size bound: a second task with the same
 * artifact is given the cached copy. What a task is being given right now is pinned so that it is not evicted
 * under the copy. The index is the directory itself: an agent that restarts finds its cache, last uses from the
 * files' modification times.
 */
final class ArtifactCache {
  private static final Logger log = LoggerFactory.getLogger(ArtifactCache.class);

  private final Path blobs;
  private final Path downloads;
  private final long bound;
  private final Clock clock;
  private final Map<String, CacheEntry> entries = new HashMap<>();
  private final Map<String, Integer> pins = new HashMap<>();

  ArtifactCache(Path dir, long bound, Clock clock) {
    this.blobs = dir.resolve("sha256");
    this.downloads = dir.resolve("downloads");
    this.bound = bound;
    this.clock = clock;
    try {
      Files.createDirectories(blobs);
      Files.createDirectories(downloads);
      try (Stream<Path> files = Files.list(blobs)) {
        for (Path file : files.toList()) {
          entries.put(file.getFileName().toString(), new CacheEntry(file.getFileName().toString(), Files.size(file),
              Files.getLastModifiedTime(file).toInstant()));
        }
      }
      // A download the agent did not finish before it stopped.
      try (Stream<Path> files = Files.list(downloads)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the artifact cache in " + dir, e);
    }
  }

  long bound() {
    return bound;
  }

  /** A file to download into; {@link #admit} moves it into the cache. */
  Path newDownload() throws IOException {
    return Files.createTempFile(downloads, "artifact-", ".part");
  }

  /** The cached artifact of {@code sha256}, pinned until {@link #release}; empty when it is not cached. */
  synchronized Optional<Path> use(String sha256) {
    CacheEntry entry = entries.get(sha256);
    if (entry == null) {
      return Optional.empty();
    }
    entries.put(sha256, new CacheEntry(sha256, entry.bytes(), clock.instant()));
    touch(sha256);
    pins.merge(sha256, 1, Integer::sum);
    return Optional.of(blobs.resolve(sha256));
  }

  /** Moves a finished download into the cache (evicting what must go), pinned until {@link #release}. */
  synchronized Path admit(Path download, String sha256, long bytes) throws FetchException, IOException {
    if (entries.containsKey(sha256)) {
      // Another task downloaded the same bytes meanwhile.
      Files.deleteIfExists(download);
      return use(sha256).orElseThrow();
    }
    CacheEviction.Decision decision = CacheEviction.admit(List.copyOf(entries.values()), pins.keySet(), bound, bytes);
    if (decision instanceof CacheEviction.Decision.Refuse refuse) {
      Files.deleteIfExists(download);
      throw new FetchException(refuse.reason());
    }
    for (String evicted : ((CacheEviction.Decision.Admit) decision).evict()) {
      Files.deleteIfExists(blobs.resolve(evicted));
      entries.remove(evicted);
      log.info("artifact cache: evicted sha256:{}", evicted);
    }
    Path blob = blobs.resolve(sha256);
    Files.move(download, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    entries.put(sha256, new CacheEntry(sha256, bytes, clock.instant()));
    touch(sha256);
    pins.merge(sha256, 1, Integer::sum);
    return blob;
  }

  synchronized void release(String sha256) {
    pins.computeIfPresent(sha256, (digest, count) -> count == 1 ? null : count - 1);
  }

  synchronized Set<String> digests() {
    return Set.copyOf(entries.keySet());
  }

  synchronized long bytesCached() {
    return entries.values().stream().mapToLong(CacheEntry::bytes).sum();
  }

  private void touch(String sha256) {
    try {
      Files.setLastModifiedTime(blobs.resolve(sha256), FileTime.from(clock.instant()));
    } catch (IOException e) {
      log.debug("artifact cache: cannot touch {}: {}", sha256, e.getMessage());
    }
  }
}
