package dev.kos.allocator.stream;

import dev.kos.model.Resources;
import dev.kos.allocator.core.ShardLedger;
import dev.kos.allocator.core.ShardSummary;
import dev.kos.allocator.core.ShardView;
import dev.kos.allocator.core.UsageSummary;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.schema.AllocatorShard;
import dev.kos.schema.RoleShare;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shards' summaries on {@code kos.allocator-shards}: their Avro form, and the global store every
 * allocator instance keeps of them. The store is filled by {@link Loader}, which applies the one-partition
 * topic in order through the {@link ShardLedger}, so every instance agrees on which quota claims hold.
 */
final class ShardSummaries {

  /** The store key holding the last applied offset; shard ids are partition numbers, so it cannot clash. */
  static final String POSITION = "@offset";

  private ShardSummaries() {
  }

  /** What the store holds: the position read up to, then each shard's view (read in that order, see below). */
  record Snapshot(long position, Map<String, ShardView> views) {
  }

  /**
   * Reads the store, decoding only the views whose bytes changed since its last read: the allocator reads it every
   * round, and a shard's view changes at most every {@link ShardExchange#MIN_INTERVAL}. One reader per thread.
   */
  static final class Reader {
    private final Map<String, byte[]> raw = new HashMap<>();
    private final Map<String, ShardView> decoded = new HashMap<>();

    /**
     * Reads the position before the views: a view newer than the position only makes a raise computed from it
     * fail the ledger's check, never hold wrongly.
     */
    Snapshot read(ReadOnlyKeyValueStore<String, byte[]> store) {
      byte[] position = store.get(POSITION);
      Map<String, ShardView> views = new HashMap<>();
      try (KeyValueIterator<String, byte[]> it = store.all()) {
        while (it.hasNext()) {
          var entry = it.next();
          if (!entry.key.equals(POSITION)) {
            if (!Arrays.equals(raw.get(entry.key), entry.value)) {
              raw.put(entry.key, entry.value);
              decoded.put(entry.key, StateStoreJson.shardView(entry.value));
            }
            views.put(entry.key, decoded.get(entry.key));
          }
        }
      }
      return new Snapshot(position == null ? -1 : Long.parseLong(new String(position)), views);
    }
  }

  static AllocatorShard avro(ShardSummary summary, Instant now) {
    List<RoleShare> roles = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(summary.usage().roleAllocation().keySet());
    names.addAll(summary.claims().keySet());
    names.addAll(summary.usage().wantsMore());
    for (String role : names) {
      Resources claim = summary.claims().get(role);
      Resources committed = claim == null ? null : summary.committed().getOrDefault(role, Resources.NONE);
      roles.add(RoleShare.newBuilder().setRole(role)
          .setAllocation(AllocatorAvro.avro(summary.usage().roleAllocation(role)))
          .setClaim(claim == null ? null : AllocatorAvro.avro(claim))
          .setCommitted(committed == null ? null : AllocatorAvro.avro(committed))
          .setWantsMore(summary.usage().wantsMore().contains(role)).build());
    }
    return AllocatorShard.newBuilder().setShard(summary.shard()).setSeq(summary.seq())
        .setTotal(AllocatorAvro.avro(summary.usage().total()))
        .setAllocated(AllocatorAvro.avro(summary.usage().allocated()))
        .setRoles(roles).setBasedOnOffset(summary.basedOnOffset()).setTimestamp(now).build();
  }

  static ShardSummary core(AllocatorShard avro) {
    Map<String, Resources> allocation = new HashMap<>();
    Map<String, Resources> claims = new HashMap<>();
    Map<String, Resources> committed = new HashMap<>();
    Set<String> wantsMore = new HashSet<>();
    for (RoleShare role : avro.getRoles()) {
      if (role.getWantsMore()) {
        wantsMore.add(role.getRole());
      }
      Resources held = AllocatorAvro.resources(role.getAllocation());
      if (!held.isEmpty()) {
        allocation.put(role.getRole(), held);
      }
      if (role.getClaim() != null) {
        claims.put(role.getRole(), AllocatorAvro.resources(role.getClaim()));
      }
      if (role.getCommitted() != null) {
        committed.put(role.getRole(), AllocatorAvro.resources(role.getCommitted()));
      }
    }
    UsageSummary usage = new UsageSummary(AllocatorAvro.resources(avro.getTotal()),
        AllocatorAvro.resources(avro.getAllocated()), allocation, wantsMore);
    return new ShardSummary(avro.getShard(), avro.getSeq(), usage, claims, committed, avro.getBasedOnOffset());
  }

  /**
   * Applies each summary, in the topic's order, to the store. A summary that cannot be read is skipped with a
   * warning: the global thread must not stop, and the shard's next summary replaces it.
   */
  static final class Loader implements Processor<String, byte[], Void, Void> {
    private static final Logger log = LoggerFactory.getLogger(Loader.class);
    private final ControlBus bus;
    private final String storeName;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, byte[]> store;
    private final Reader reader = new Reader();

    Loader(ControlBus bus, String storeName) {
      this.bus = bus;
      this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      this.context = context;
      store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      long offset = context.recordMetadata().orElseThrow().offset();
      if (record.key() != null && record.value() != null) {
        try {
          ShardSummary summary = core(bus.serde(Topics.ALLOCATOR_SHARDS)
              .deserialize(bus.topic(Topics.ALLOCATOR_SHARDS), record.value()));
          ShardView view = ShardLedger.apply(reader.read(store).views(), summary, offset);
          store.put(summary.shard(), StateStoreJson.write(view));
        } catch (MalformedRecordException | IllegalArgumentException e) {
          log.warn("ignoring unreadable shard summary at offset {}: {}", offset, e.getMessage());
        }
      }
      store.put(POSITION, Long.toString(offset).getBytes());
    }
  }
}
