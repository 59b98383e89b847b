package dev.kos.lb;

import dev.kos.lb.core.Backend;
import dev.kos.lb.core.BackendChoice;
import dev.kos.lb.core.BackendLoad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One app's backends and what the balancer counts of each: what it has in flight (requests for HTTP, connections for
 * TCP) and when it last failed. The one place a backend is chosen for both protocols: {@link #take} asks
 * {@link BackendChoice} (the same strategy, limit and suspicion of a backend that just failed) and counts the choice
 * in flight until {@link Slot#release}. {@code P} is what the protocol keeps per backend (HTTP: Undertow's connection
 * pool; TCP: nothing).
 */
final class BackendLoads<P> {

  /** How long a backend that failed is tried only when no other may take the work. */
  static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** A backend, what the protocol keeps for it, and its load. */
  static final class Slot<P> {
    final Backend backend;
    final P pool;
    final AtomicInteger inFlight = new AtomicInteger();
    /** When it last failed (System.nanoTime), or 0. */
    volatile long failedAt;

    Slot(Backend backend, P pool) {
      this.backend = backend;
      this.pool = pool;
    }

    boolean failedRecently(long now) {
      long at = failedAt;
      return at != 0 && now - at < SUSPECT_NANOS;
    }

    void failed() {
      failedAt = System.nanoTime();
    }

    void release() {
      inFlight.decrementAndGet();
    }
  }

  private final LbSettings settings;
  private final AtomicLong tickets = new AtomicLong();
  private volatile Map<Backend, Slot<P>> slots = Map.of();

  BackendLoads(LbSettings settings) {
    this.settings = settings;
  }

  /**
   * Takes a new backend set: a new backend gets {@code poolFor}'s pool, a kept one keeps its pool and load, a gone one
   * is chosen no more (what it has in flight finishes). Returns the gone backends.
   */
  synchronized List<Backend> update(List<Backend> backends, Function<Backend, P> poolFor) {
    Map<Backend, Slot<P>> next = new LinkedHashMap<>();
    for (Backend backend : backends) {
      Slot<P> slot = slots.get(backend);
      next.put(backend, slot != null ? slot : new Slot<>(backend, poolFor.apply(backend)));
    }
    List<Backend> gone = new ArrayList<>(slots.keySet());
    gone.removeAll(next.keySet());
    slots = next;
    return gone;
  }

  /** Chooses a backend for one try, not one of {@code failed}, and counts it in flight; empty if none may take it. */
  Optional<Slot<P>> take(Set<Backend> failed) {
    long nanos = System.nanoTime();
    Map<Backend, Slot<P>> now = slots;
    List<BackendLoad> loads = new ArrayList<>(now.size());
    now.values().forEach(s -> loads.add(new BackendLoad(s.backend, s.inFlight.get(), s.failedRecently(nanos))));
    Optional<Backend> chosen = BackendChoice.choose(settings.strategy(), loads, settings.maxPerBackend(), failed,
        tickets.getAndIncrement());
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    Slot<P> slot = now.get(chosen.get());
    slot.inFlight.incrementAndGet();
    return Optional.of(slot);
  }

  /** Whether there are backends and every one of them is in {@code failed}. */
  boolean allFailed(Set<Backend> failed) {
    Map<Backend, Slot<P>> now = slots;
    return !now.isEmpty() && failed.containsAll(now.keySet());
  }

  List<Backend> backends() {
    return List.copyOf(slots.keySet());
  }

  /** What each backend has in flight now, for metrics. */
  Map<Backend, Integer> inFlight() {
    Map<Backend, Integer> loads = new LinkedHashMap<>();
    slots.values().forEach(s -> loads.put(s.backend, s.inFlight.get()));
    return loads;
  }
}
