package dev.kos.cli.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * HTTP load on the demo's web instances: {@code rate} requests per second, round robin over the
 * endpoints {@code endpoints} returns at each tick (so new instances get traffic as they come), a
 * fixed mix of paths (mostly {@code /}, some {@code /missing} and {@code /fail}), counted by status.
 */
final class Traffic {

  /** What one burst of load got back. */
  record Outcome(long sent, Map<Integer, Long> byStatus, long failed) {

    long answered() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
      return String.format("%,d requests, answers by status %s, %,d without an answer", sent, byStatus, failed);
    }
  }

  private static final Duration TICK = Duration.ofMillis(50);
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final SplittableRandom random = new SplittableRandom(42);

  /** Sends for {@code duration}, then waits for the answers (at most 5 s). */
  Outcome run(double rate, Duration duration, Supplier<List<String>> endpoints) throws InterruptedException {
    Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<?>> pending = new CopyOnWriteArrayList<>();
    long sent = 0;
    long start = System.nanoTime();
    long next = 0;
    while (System.nanoTime() - start < duration.toNanos()) {
      List<String> targets = endpoints.get();
      double elapsed = (System.nanoTime() - start) / 1e9;
      long due = (long) (elapsed * rate);
      for (; sent < due && !targets.isEmpty(); sent++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + targets.get((int) (next++ % targets.size()))
            + path())).timeout(Duration.ofSeconds(5)).GET().build();
        pending.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
          if (error != null) {
            failed.incrementAndGet();
          } else {
            byStatus.computeIfAbsent(response.statusCode(), s -> new AtomicLong()).incrementAndGet();
          }
        }));
      }
      Thread.sleep(TICK.toMillis());
    }
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Counted per request above: an error or a missing answer shows in `failed` or in the totals.
    }
    Map<Integer, Long> counts = new TreeMap<>();
    byStatus.forEach((status, count) -> counts.put(status, count.get()));
    return new Outcome(sent, counts, failed.get());
  }

  private String path() {
    int roll = random.nextInt(100);
    return roll < 8 ? "/missing" : roll < 12 ? "/fail" : roll < 30 ? "/search" : "/";
  }
}
