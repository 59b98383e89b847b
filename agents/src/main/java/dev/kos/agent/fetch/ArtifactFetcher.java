package dev.kos.agent.fetch;

import dev.kos.agent.fetch.core.FetchPlan;
import dev.kos.agent.fetch.core.RetryPolicy;
import dev.kos.model.Artifact;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's fetcher (as Mesos's): puts a task's artifacts into its sandbox before the task starts, on threads of
 * its own so that a slow download never holds up the agent's other launches and kills. Bytes come from the
 * agent's {@link ArtifactCache} when the artifact names a sha256 that is cached, else from its URI ({@code file:},
 * {@code http(s):}); they are checked against the sha256 and kept in the cache by their digest. A failure says
 * which artifact and why (a 404, a digest mismatch, too big, an unsafe archive), for the task's FAILED status.
 */
public final class ArtifactFetcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArtifactFetcher.class);

  /** Artifacts fetched at once. */
  private static final int THREADS = 2;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Until the answer's headers arrive; after that, {@link FetchSettings#stallTimeout} watches the bytes. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  /** How often a download's progress is looked at, at most (the stall timeout's quarter otherwise). */
  private static final Duration STALL_CHECK = Duration.ofSeconds(1);

  /** Who the fetched files are given to: the task's host user. */
  public record Owner(int uid, int gid) {
  }

  private final ArtifactCache cache;
  private final FetchSettings settings;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NORMAL).build();
  private final ExecutorService threads = Executors.newFixedThreadPool(THREADS, runnable -> {
    Thread thread = new Thread(runnable, "kos-fetch");
    thread.setDaemon(true);
    return thread;
  });
  /** Drops the downloads that stalled: closing the body ends a read that waits for bytes. */
  private final ScheduledExecutorService stallWatch = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "kos-fetch-stall-watch");
    thread.setDaemon(true);
    return thread;
  });

  public ArtifactFetcher(Path cacheDir, FetchSettings settings, Clock clock) {
    this.cache = new ArtifactCache(cacheDir, settings.cacheBytes(), clock);
    this.settings = settings;
    this.clock = clock;
  }

  /** Bytes the cache holds now. */
  public long bytesCached() {
    return cache.bytesCached();
  }

  /**
   * Fetches {@code artifacts} into {@code sandbox}, in order, off the caller's thread; fails with a
   * {@link FetchException} that names the artifact and the reason.
   */
  public CompletableFuture<Void> fetch(String taskId, List<Artifact> artifacts, Path sandbox, Optional<Owner> owner) {
    return CompletableFuture.runAsync(() -> {
      try {
        fetchNow(taskId, artifacts, sandbox, owner);
      } catch (FetchException e) {
        throw new CompletionException(e);
      }
    }, threads);
  }

  void fetchNow(String taskId, List<Artifact> artifacts, Path sandbox, Optional<Owner> owner) throws FetchException {
    FetchPlan.Result result = FetchPlan.of(artifacts, cache.digests());
    if (result instanceof FetchPlan.Result.Refused refused) {
      throw new FetchException(refused.reason());
    }
    for (FetchPlan.Step step : ((FetchPlan.Result.Planned) result).steps()) {
      Artifact artifact = step.artifact();
      try {
        place(taskId, step, sandbox, owner);
      } catch (FetchException e) {
        throw new FetchException("artifact " + artifact.uri() + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new FetchException("artifact " + artifact.uri() + " could not be put into the sandbox: " + e, e);
      }
    }
  }

  private void place(String taskId, FetchPlan.Step step, Path sandbox, Optional<Owner> owner)
      throws IOException, FetchException {
    Artifact artifact = step.artifact();
    // Evicted since the plan was made: downloaded again.
    Optional<Path> cached = step.fromCache() ? cache.use(artifact.sha256().orElseThrow()) : Optional.empty();
    String sha256;
    Path blob;
    if (cached.isPresent()) {
      sha256 = artifact.sha256().get();
      blob = cached.get();
      log.info("task {}: artifact {} from the cache (sha256:{})", taskId, artifact.uri(), sha256);
    } else {
      Path download = cache.newDownload();
      try {
        sha256 = download(artifact.parsedUri(), download);
        if (artifact.sha256().isPresent() && !artifact.sha256().get().equals(sha256)) {
          throw new FetchException("its sha256 is " + sha256 + ", not the expected " + artifact.sha256().get());
        }
        blob = cache.admit(download, sha256, Files.size(download));
      } finally {
        Files.deleteIfExists(download);
      }
      log.info("task {}: artifact {} downloaded (sha256:{})", taskId, artifact.uri(), sha256);
    }
    try {
      Path placed;
      if (artifact.extract()) {
        placed = Sandboxed.createDirectories(sandbox, artifact.target());
        ArchiveUnpacker.unpack(blob, artifact.archiveFormat().orElseThrow(), placed, settings.unpackedBytes());
      } else {
        placed = Sandboxed.replaceable(sandbox, artifact.target());
        // A copy, not a link: the task may change its file, and the cache's must stay as its digest says.
        Files.copy(blob, placed, StandardCopyOption.COPY_ATTRIBUTES);
        Files.setPosixFilePermissions(placed, PosixFilePermissions.fromString(
            artifact.executable() ? "rwxr-xr-x" : "rw-r--r--"));
      }
      if (owner.isPresent()) {
        own(sandbox, artifact.target(), owner.get());
      }
    } finally {
      cache.release(sha256);
    }
  }

  /**
   * Downloads {@code uri} into {@code file}, at most the cache's bound; returns the bytes' sha256. An HTTP download
   * that fails for a reason that may pass (see {@link RetryPolicy}) is tried again as the agent's policy says.
   */
  private String download(URI uri, Path file) throws IOException, FetchException {
    if (uri.getScheme().equalsIgnoreCase("file")) {
      Path source = Path.of(uri.getPath());
      try {
        if (Files.size(source) > cache.bound()) {
          throw new FetchException(tooBig(Files.size(source)));
        }
        try (InputStream in = Files.newInputStream(source)) {
          return copyBounded(in, file, () -> { });
        }
      } catch (NoSuchFileException e) {
        throw new FetchException("there is no file " + source + " on this agent's host");
      }
    }
    Instant first = clock.instant();
    for (int attempt = 1; ; attempt++) {
      try {
        return downloadOnce(uri, file);
      } catch (AttemptFailed failed) {
        RetryPolicy.Decision decision = settings.retry().after(attempt, failed.transientFailure, first,
            clock.instant());
        if (decision instanceof RetryPolicy.Decision.GiveUp giveUp) {
          throw new FetchException(failed.getMessage() + giveUp.why(), failed.getCause());
        }
        Duration backoff = ((RetryPolicy.Decision.Retry) decision).after();
        log.warn("downloading {} failed ({}); attempt {} of {} in {} ms", uri, failed.getMessage(), attempt + 1,
            settings.retry().attempts(), backoff.toMillis());
        try {
          Thread.sleep(backoff.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new FetchException("interrupted while downloading it");
        }
      }
    }
  }

  /** One attempt at an HTTP download; a failure that may pass is an {@link AttemptFailed} saying so. */
  private String downloadOnce(URI uri, Path file) throws IOException, FetchException, AttemptFailed {
    HttpResponse<InputStream> response;
    try {
      response = http.send(HttpRequest.newBuilder(uri).timeout(RESPONSE_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted while downloading it");
    } catch (IOException e) {
      throw new AttemptFailed("cannot download it from this agent: " + e, true, e);
    }
    InputStream body = response.body();
    AtomicLong lastByte = new AtomicLong(System.nanoTime());
    AtomicBoolean stalled = new AtomicBoolean();
    long stallNanos = settings.stallTimeout().toNanos();
    long period = Math.max(10, Math.min(STALL_CHECK.toMillis(), settings.stallTimeout().toMillis() / 4));
    ScheduledFuture<?> watch = stallWatch.scheduleWithFixedDelay(() -> {
      if (System.nanoTime() - lastByte.get() > stallNanos && stalled.compareAndSet(false, true)) {
        closeQuietly(body);
      }
    }, period, period, TimeUnit.MILLISECONDS);
    try (body) {
      if (response.statusCode() != 200) {
        throw new AttemptFailed("the server answered HTTP " + response.statusCode(),
            RetryPolicy.transientStatus(response.statusCode()), null);
      }
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (length > cache.bound()) {
        throw new FetchException(tooBig(length));
      }
      String sha256 = copyBounded(body, file, () -> lastByte.set(System.nanoTime()));
      if (stalled.get()) {
        // Closed under the read, which may then end as if the body were complete.
        throw stalled(file, null);
      }
      return sha256;
    } catch (IOException e) {
      throw stalled.get() ? stalled(file, e) : new AttemptFailed("the download broke off: " + e, true, e);
    } finally {
      watch.cancel(false);
    }
  }

  private AttemptFailed stalled(Path file, IOException cause) throws IOException {
    return new AttemptFailed("no byte arrived for " + settings.stallTimeout().toMillis() + " ms after "
        + Files.size(file) + " bytes; the download was dropped", true, cause);
  }

  private static void closeQuietly(InputStream body) {
    try {
      body.close();
    } catch (IOException e) {
      log.debug("closing a stalled download: {}", e.getMessage());
    }
  }

  /** One failed attempt at a download, and whether the failure may pass by itself (see {@link RetryPolicy}). */
  private static final class AttemptFailed extends Exception {
    private final boolean transientFailure;

    AttemptFailed(String message, boolean transientFailure, Throwable cause) {
      super(message, cause);
      this.transientFailure = transientFailure;
    }
  }

  private String copyBounded(InputStream in, Path file, Runnable progress) throws IOException, FetchException {
    MessageDigest digest = sha256();
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        progress.run();
        total += read;
        if (total > cache.bound()) {
          throw new FetchException(tooBig(total) + " (the download was stopped there)");
        }
        digest.update(buffer, 0, read);
        out.write(buffer, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private String tooBig(long bytes) {
    return "it is " + bytes + " bytes, more than this agent takes (its artifact cache holds " + cache.bound()
        + " bytes)";
  }

  /** Gives what the artifact put into the sandbox to the task's user, never following a link; kos's own files stay. */
  private static void own(Path sandbox, String target, Owner owner) throws IOException {
    Path top = target.isEmpty() ? sandbox : sandbox.resolve(target.split("/")[0]);
    Set<Path> kosOwn = Set.of(sandbox, sandbox.resolve("stdout"), sandbox.resolve("stderr"));
    try (Stream<Path> paths = Files.walk(top)) {
      for (Path path : paths.filter(path -> !kosOwn.contains(path) && !path.startsWith(sandbox.resolve(".kos")))
          .collect(Collectors.toList())) {
        Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
    stallWatch.shutdownNow();
  }
}
