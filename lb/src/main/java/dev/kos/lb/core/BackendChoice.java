package dev.kos.lb.core;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the backend for one request. A backend at its connection limit, or one that already refused this
 * request, is not a candidate; one that failed another request a moment ago is one only if nothing else is (an
 * instance that just started and does not listen yet, or just died, would otherwise draw every request: it has
 * the fewest in flight); among the rest, {@link Strategy#ROUND_ROBIN} takes them in turn and
 * {@link Strategy#LEAST_CONNECTIONS} the least busy (ties in turn, so equal backends share the load). The turn is
 * a ticket the caller draws from a counter, so the choice itself is pure. Empty when no backend may take it.
 */
public final class BackendChoice {

  private BackendChoice() {
  }

  /**
   * @param maxPerBackend the most requests in flight to one backend; 0 for no limit
   * @param ticket a counter from 0 that grows by one per request; round robin is fair until it wraps (2^63)
   */
  public static Optional<Backend> choose(Strategy strategy, List<BackendLoad> loads, int maxPerBackend,
      Set<Backend> refused, long ticket) {
    List<BackendLoad> open = loads.stream()
        .filter(l -> !refused.contains(l.backend()))
        .filter(l -> maxPerBackend <= 0 || l.inFlight() < maxPerBackend)
        .toList();
    if (open.isEmpty()) {
      return Optional.empty();
    }
    List<BackendLoad> healthy = open.stream().filter(l -> !l.failedRecently()).toList();
    List<BackendLoad> candidates = healthy.isEmpty() ? open : healthy;
    if (strategy == Strategy.LEAST_CONNECTIONS) {
      int least = candidates.stream().mapToInt(BackendLoad::inFlight).min().orElseThrow();
      candidates = candidates.stream().filter(l -> l.inFlight() == least).toList();
    }
    return Optional.of(candidates.get((int) Math.floorMod(ticket, (long) candidates.size())).backend());
  }
}
