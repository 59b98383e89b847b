package dev.kos.agent.fetch.core;

import java.time.Instant;

/** One artifact in the agent's cache: its sha256 (the file's name), its size, when a task last used it. */
public record CacheEntry(String sha256, long bytes, Instant lastUsed) {
}
