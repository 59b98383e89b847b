package dev.kos.allocator.stream;

import dev.kos.allocator.core.Allocator;
import dev.kos.allocator.core.LimitClaims;
import dev.kos.model.Resources;
import dev.kos.allocator.core.ShardSummary;
import dev.kos.allocator.core.ShardView;
import dev.kos.allocator.core.UsageSummary;
import dev.kos.schema.AllocatorShard;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One shard's side of sharing the cluster with the other allocator shards. Every round it gives the core what
 * the others hold (so roles are ordered, guaranteed and held back by thresholds over the whole cluster) and
 * its part of each quota limit ({@link LimitClaims}); and it publishes its own summary when it changed, or
 * every {@link #HEARTBEAT} regardless, never more than one at a time: the next waits until the last has come
 * back through the shard-summaries store.
 */
final class ShardExchange {

  static final Duration MIN_INTERVAL = Duration.ofMillis(200);
  static final Duration HEARTBEAT = Duration.ofSeconds(5);

  private final String shard;
  private final Allocator core;
  private final ReadOnlyKeyValueStore<String, byte[]> store;
  private final ShardSummaries.Reader reader = new ShardSummaries.Reader();
  private long seq;
  private boolean inFlight;
  private boolean restarted = true;
  private Map<String, Resources> lastAsked = Map.of();
  private UsageSummary lastUsage = UsageSummary.NONE;
  private UsageSummary lastPeers = UsageSummary.NONE;
  private Instant lastSent = Instant.EPOCH;

  /**
   * @param firstSeq above any sequence number an earlier run of this shard used (the start time in
   *     milliseconds times 1000 is), so an old summary is never taken for the one in flight
   */
  ShardExchange(String shard, Allocator core, ReadOnlyKeyValueStore<String, byte[]> store, long firstSeq) {
    this.shard = shard;
    this.core = core;
    this.store = store;
    this.seq = firstSeq;
  }

  /** Brings the core up to date with the other shards; returns this shard's summary when one is due. */
  Optional<AllocatorShard> round(Instant now) {
    ShardSummaries.Snapshot snapshot = reader.read(store);
    ShardView own = snapshot.views().get(shard);
    if (inFlight && own != null && own.summary().seq() == seq) {
      inFlight = false;
    }
    UsageSummary peers = UsageSummary.NONE;
    for (ShardView view : snapshot.views().values()) {
      if (!view.shard().equals(shard)) {
        peers = peers.plus(view.summary().usage());
      }
    }
    if (!peers.equals(lastPeers)) {
      core.peersReported(peers);
      lastPeers = peers;
    }
    Map<String, Resources> limits = core.limits();
    Optional<AllocatorShard> summary = due(now, limits, own, snapshot);
    // After publishing: a lowered claim binds from the moment it is sent.
    core.limitsShared(LimitClaims.shares(limits, own, lastAsked));
    return summary;
  }

  private Optional<AllocatorShard> due(Instant now, Map<String, Resources> limits, ShardView own,
      ShardSummaries.Snapshot snapshot) {
    if (inFlight || now.isBefore(lastSent.plus(MIN_INTERVAL))) {
      return Optional.empty();
    }
    UsageSummary usage = core.usage();
    Map<String, Resources> claims = restarted ? LimitClaims.afterRestart(limits, usage)
        : LimitClaims.next(shard, limits, usage, snapshot.views().values());
    boolean changed = restarted || !usage.equals(lastUsage) || !claims.equals(lastAsked);
    if (!changed && now.isBefore(lastSent.plus(HEARTBEAT))) {
      return Optional.empty();
    }
    restarted = false;
    inFlight = true;
    lastAsked = claims;
    lastUsage = usage;
    lastSent = now;
    ShardSummary summary = new ShardSummary(shard, ++seq, usage, claims,
        own == null ? Map.of() : own.committed(), snapshot.position());
    return Optional.of(ShardSummaries.avro(summary, now));
  }
}
