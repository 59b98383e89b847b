package dev.kos.api.views;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.FollowerThread;
import dev.kos.bus.client.TopicReader;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeadLetter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's state as the API serves it: the compacted views (apps, tasks, agents ...) kept in memory, the latest
 * scale decisions and dead letters, and counts of command answers and dead letters. One thread replays the topics
 * from their oldest record, then follows them, so a request reads memory rather than the bus.
 */
public final class LiveViews implements AutoCloseable {

  /** The compacted views: the latest value per key. */
  public static final List<TopicDef<?>> VIEWS = List.of(Topics.APPS, Topics.ENDPOINTS, Topics.TASKS, Topics.AGENTS,
      Topics.FRAMEWORKS, Topics.ROLES, Topics.JOBS, Topics.KAFKA_CLUSTERS);
  /** Logs of which the latest {@link #RECENT_LIMIT} records are kept. */
  public static final List<TopicDef<?>> RECENT = List.of(Topics.SCALE_DECISIONS, Topics.DEAD_LETTERS);
  public static final int RECENT_LIMIT = 1_000;

  private static final Logger log = LoggerFactory.getLogger(LiveViews.class);

  private final ControlBus bus;
  private final Map<String, TopicDef<?>> byName = new LinkedHashMap<>();
  private final Map<TopicDef<?>, ConcurrentSkipListMap<String, SpecificRecord>> latest = new ConcurrentHashMap<>();
  private final Map<TopicDef<?>, Deque<SpecificRecord>> recent = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> deadLetters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> undecodable = new ConcurrentHashMap<>();
  private FollowerThread follower;
  private volatile String failure;

  private LiveViews(ControlBus bus) {
    this.bus = bus;
    List<TopicDef<?>> topics = new ArrayList<>(VIEWS);
    topics.addAll(RECENT);
    topics.add(Topics.COMMAND_RESULTS);
    topics.forEach(topic -> byName.put(bus.topic(topic), topic));
    VIEWS.forEach(topic -> latest.put(topic, new ConcurrentSkipListMap<>()));
    RECENT.forEach(topic -> recent.put(topic, new ArrayDeque<>()));
  }

  /** Starts reading; {@link #awaitCaughtUp} waits for the replay. */
  public static LiveViews start(ControlBus bus) {
    LiveViews views = new LiveViews(bus);
    views.follower = FollowerThread.start("kos-api-views", views::run);
    return views;
  }

  /** True once the topics were read to the end they had at the start, or the reader failed; false on timeout. */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    return follower.awaitReady(timeout);
  }

  /** Why the views are not served: still replaying, or the reader failed. Empty when they are current. */
  public Optional<String> unavailable() {
    if (failure != null) {
      return Optional.of("the API stopped following the bus: " + failure + "; restart it");
    }
    if (!follower.ready()) {
      return Optional.of("the API is still reading the cluster's state from the bus; try again shortly");
    }
    return Optional.empty();
  }

  /** The latest value per key of a compacted view, in key order. */
  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> SortedMap<String, V> latest(TopicDef<V> view) {
    return Collections.unmodifiableSortedMap((SortedMap<String, V>) (SortedMap<String, ?>) latest.get(view));
  }

  /** The latest records of a log, oldest first. */
  @SuppressWarnings("unchecked")
  public <V extends SpecificRecord> List<V> recent(TopicDef<V> log) {
    Deque<SpecificRecord> records = recent.get(log);
    synchronized (records) {
      return (List<V>) List.copyOf(records);
    }
  }

  /** Command answers read so far, by status (ACCEPTED, REJECTED). */
  public Map<String, AtomicLong> answersByStatus() {
    return answers;
  }

  /** Dead letters read so far, by the topic their record came from. */
  public Map<String, AtomicLong> deadLettersByTopic() {
    return deadLetters;
  }

  /** Records passed over because they do not decode, by topic. */
  public Map<String, AtomicLong> undecodableByTopic() {
    return undecodable;
  }

  private void run(Runnable caughtUp) {
    try (TopicReader reader = new TopicReader(bus, "kos-api-views")) {
      List<TopicPartition> partitions = new ArrayList<>();
      byName.values().forEach(topic -> partitions.addAll(reader.partitionsOf(topic)));
      reader.fromBeginning(partitions);
      reader.readToEnd(record -> apply(reader, record));
      caughtUp.run();
      log.info("read the cluster's views: {} apps, {} tasks, {} agents", latest.get(Topics.APPS).size(),
          latest.get(Topics.TASKS).size(), latest.get(Topics.AGENTS).size());
      reader.follow(record -> apply(reader, record));
    } catch (RuntimeException e) {
      failure = e.getMessage();
      log.error("the API's view reader stopped", e);
      // Whoever waits for the replay learns of the failure now rather than at its timeout.
      caughtUp.run();
    }
  }

  private void apply(TopicReader reader, ConsumerRecord<byte[], byte[]> record) {
    TopicDef<?> topic = byName.get(record.topic());
    String key = TopicReader.keyOf(record);
    if (record.value() == null) {
      if (key != null && latest.containsKey(topic)) {
        latest.get(topic).remove(key);
      }
      return;
    }
    SpecificRecord value;
    try {
      value = reader.decode(topic, record);
    } catch (MalformedRecordException e) {
      undecodable.computeIfAbsent(record.topic(), t -> new AtomicLong()).incrementAndGet();
      return;
    }
    if (latest.containsKey(topic)) {
      if (key != null) {
        latest.get(topic).put(key, value);
      }
    } else if (recent.containsKey(topic)) {
      Deque<SpecificRecord> records = recent.get(topic);
      synchronized (records) {
        records.addLast(value);
        if (records.size() > RECENT_LIMIT) {
          records.removeFirst();
        }
      }
      if (value instanceof DeadLetter letter) {
        deadLetters.computeIfAbsent(letter.getTopic(), t -> new AtomicLong()).incrementAndGet();
      }
    } else if (value instanceof CommandResult result) {
      answers.computeIfAbsent(result.getStatus().toString(), s -> new AtomicLong()).incrementAndGet();
    }
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
  }
}
