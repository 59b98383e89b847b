package dev.kos.agent.fetch.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Makes room in the agent's artifact cache for a new artifact, least recently used first, within the cache's
 * size bound. Artifacts being copied into a sandbox at this moment ({@code inUse}) stay.
 */
public final class CacheEviction {

  private CacheEviction() {
  }

  /** What to do for an artifact of {@code incoming} bytes: evict these first, or refuse it with the reason. */
  public sealed interface Decision {
    record Admit(List<String> evict) implements Decision {
      public Admit {
        evict = List.copyOf(evict);
      }
    }

    record Refuse(String reason) implements Decision {
    }
  }

  public static Decision admit(List<CacheEntry> cached, Set<String> inUse, long bound, long incoming) {
    if (incoming > bound) {
      return new Decision.Refuse("it is " + incoming + " bytes, more than this agent's artifact cache holds ("
          + bound + " bytes)");
    }
    long used = cached.stream().mapToLong(CacheEntry::bytes).sum();
    List<CacheEntry> oldestFirst = new ArrayList<>(cached.stream().filter(entry -> !inUse.contains(entry.sha256()))
        .sorted(Comparator.comparing(CacheEntry::lastUsed).thenComparing(CacheEntry::sha256)).toList());
    List<String> evict = new ArrayList<>();
    while (used + incoming > bound && !oldestFirst.isEmpty()) {
      CacheEntry oldest = oldestFirst.remove(0);
      evict.add(oldest.sha256());
      used -= oldest.bytes();
    }
    if (used + incoming > bound) {
      return new Decision.Refuse("this agent's artifact cache (" + bound + " bytes) is taken by artifacts that "
          + "tasks are being given now; launch it again in a moment");
    }
    return new Decision.Admit(evict);
  }
}
