package dev.kos.systemtests.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client load on a kos-run cluster: a paced, keyed, acks=all producer that remembers where each record landed and
 * how long each send took; a consumer reading alongside that remembers what it read, per partition, in order; and
 * a watcher that polls the Admin API for partitions without a leader.
 */
final class KafkaLoad implements AutoCloseable {

  /** One acknowledged send: when it was sent (ms since the load started) and how long the ack took. */
  record Ack(long sentAtMs, long latencyMs) {
  }

  private final String bootstrap;
  private final String topic;
  private final long startNanos = System.nanoTime();
  private final Map<Integer, List<String>> produced = new ConcurrentHashMap<>();
  private final Map<Integer, List<String>> consumed = new ConcurrentHashMap<>();
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<String> fatalErrors = new CopyOnWriteArrayList<>();
  private final AtomicInteger maxOffline = new AtomicInteger();
  private final AtomicLong consumedCount = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;
  /** How many records the producer sends in all; {@link #finishAfter} lowers it. */
  private final AtomicInteger limit = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();

  KafkaLoad(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Starts producing {@code records} records at about {@code perSecond}, and the consumer and watcher. */
  KafkaLoad start(int records, int perSecond) {
    limit.set(records);
    threads.add(thread("producer", () -> produce(perSecond)));
    threads.add(thread("consumer", this::consume));
    threads.add(thread("offline-watch", this::watch));
    threads.forEach(Thread::start);
    return this;
  }

  /**
   * Ends the load {@code more} records from now (or at its planned end, if sooner), so that a test waits for
   * no more load than the faults it drives need.
   */
  void finishAfter(int more) {
    limit.getAndUpdate(planned -> Math.min(planned, sent.get() + more));
  }

  /** Records handed to the producer so far; once {@link #producerDone}, all it will send. */
  int sent() {
    return sent.get();
  }

  boolean producerDone() {
    return !threads.get(0).isAlive();
  }

  long acked() {
    return acks.size();
  }

  long consumed() {
    return consumedCount.get();
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  /** Errors handed to the producer's callbacks (records it gave up on after its own retries), and the consumer's. */
  List<String> fatalErrors() {
    return List.copyOf(fatalErrors);
  }

  int maxOfflinePartitions() {
    return maxOffline.get();
  }

  /** Per partition, the values in offset order as the producer's acks placed them. */
  Map<Integer, List<String>> produced() {
    Map<Integer, List<String>> copy = new HashMap<>();
    produced.forEach((p, values) -> copy.put(p, List.copyOf(values)));
    return copy;
  }

  Map<Integer, List<String>> consumedRecords() {
    Map<Integer, List<String>> copy = new HashMap<>();
    consumed.forEach((p, values) -> copy.put(p, List.copyOf(values)));
    return copy;
  }

  private void produce(int perSecond) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-load-producer");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // One request in flight per broker: with more, a batch that failed on a leader going away can be overtaken by
    // the next one on the new leader, after which the client retries the first for ever with
    // OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-14359, a client bug; seen here as "Expiring 26 record(s) for orders-5"
    // after a rolling restart). The test measures kos's restarts, not that bug.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
    Map<Integer, Map<Long, String>> byOffset = new ConcurrentHashMap<>();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < limit.get() && !stop; i++) {
        long due = startNanos + (long) i * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String value = "value-" + i + "-" + "x".repeat(80);
        long sentAt = elapsedMs();
        long sentNanos = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, "key-" + (i % 1000), value), (meta, error) -> {
          if (error != null) {
            fatalErrors.add(error.toString());
            return;
          }
          acks.add(new Ack(sentAt, (System.nanoTime() - sentNanos) / 1_000_000));
          byOffset.computeIfAbsent(meta.partition(), p -> new ConcurrentHashMap<>()).put(meta.offset(), value);
        });
        sent.incrementAndGet();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byOffset.forEach((partition, values) -> {
      List<Long> offsets = new ArrayList<>(values.keySet());
      Collections.sort(offsets);
      produced.put(partition, offsets.stream().map(values::get).toList());
    });
  }

  private void consume() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // Never skip silently: a position the cluster no longer has (truncation, out of range) is an error here.
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = partitionsOf(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stop) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          consumed.computeIfAbsent(record.partition(), p -> new CopyOnWriteArrayList<>()).add(record.value());
          consumedCount.incrementAndGet();
        }
      }
    } catch (KafkaException e) {
      fatalErrors.add("consumer: " + e);
    }
  }

  /** The topic's partitions, once its metadata has reached the consumer: a topic just created may have none yet. */
  private List<TopicPartition> partitionsOf(KafkaConsumer<String, String> consumer) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<TopicPartition> partitions = List.of();
    while (partitions.isEmpty() && !stop) {
      partitions = consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      if (partitions.isEmpty() && System.nanoTime() > deadline) {
        throw new IllegalStateException("topic " + topic + " has no partitions after 60 s");
      }
      if (partitions.isEmpty()) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return partitions;
        }
      }
    }
    return partitions;
  }

  private void watch() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      while (!stop) {
        try {
          Map<String, TopicDescription> topics = admin.describeTopics(List.of(topic)).allTopicNames().get();
          int offline = 0;
          for (TopicPartitionInfo partition : topics.get(topic).partitions()) {
            offline += partition.leader() == null || partition.leader().isEmpty() ? 1 : 0;
          }
          maxOffline.accumulateAndGet(offline, Math::max);
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          // A broker restarting may fail one describe; the next round asks another.
        }
      }
    }
  }

  private Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, "kafka-load-" + name);
    thread.setDaemon(true);
    return thread;
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    for (Thread thread : threads) {
      thread.join(30_000);
    }
  }
}
