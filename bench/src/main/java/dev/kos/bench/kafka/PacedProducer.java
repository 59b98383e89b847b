package dev.kos.bench.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmark's client load: a paced, keyed, idempotent acks=all producer that remembers each ack's send time and
 * latency and, per partition, the key and value at each offset; a watcher that polls the Admin API for partitions
 * without a leader; and, once the producer is done, a read-back of the whole topic to compare with what was acked.
 */
final class PacedProducer implements AutoCloseable {

  /** One acknowledged send: when it was sent (ms since the load started) and how long its ack took. */
  record Ack(long sentAtMs, long latencyMs) {
  }

  private final String bootstrap;
  private final String topic;
  private final long startNanos = System.nanoTime();
  private final Map<Integer, Map<Long, String>> produced = new ConcurrentHashMap<>();
  private final List<Ack> acks = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger maxOffline = new AtomicInteger();
  private final AtomicInteger limit = new AtomicInteger();
  private final AtomicInteger sent = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  PacedProducer(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
  }

  /** Starts sending up to {@code records} records at {@code perSecond}, and the offline watcher. */
  PacedProducer start(int records, int perSecond) {
    limit.set(records);
    threads.add(thread("producer", () -> produce(perSecond)));
    threads.add(thread("offline-watch", this::watch));
    threads.forEach(Thread::start);
    return this;
  }

  long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Ends the load {@code more} records from now, or at its planned end if sooner. */
  void finishAfter(int more) {
    limit.getAndUpdate(planned -> Math.min(planned, sent.get() + more));
  }

  /** Waits for the producer to send its last record and flush. */
  boolean awaitProducer(Duration timeout) throws InterruptedException {
    threads.get(0).join(timeout.toMillis());
    return !threads.get(0).isAlive();
  }

  int sent() {
    return sent.get();
  }

  long acked() {
    return acks.size();
  }

  List<Ack> acks() {
    return List.copyOf(acks);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  int maxOfflinePartitions() {
    return maxOffline.get();
  }

  /** Per partition, "key=value" in offset order as the producer's acks placed them. */
  Map<Integer, List<String>> produced() {
    Map<Integer, List<String>> copy = new TreeMap<>();
    produced.forEach((p, byOffset) -> copy.put(p, new TreeMap<>(byOffset).values().stream().toList()));
    return copy;
  }

  /** Per partition, "key=value" in offset order as a consumer reads the topic from its start to its end now. */
  Map<Integer, List<String>> readBack(Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    Map<Integer, List<String>> read = new TreeMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("read-back of " + topic + " not done after " + timeout);
        }
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          read.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.key() + "=" + record.value());
        }
      }
    }
    return read;
  }

  private void produce(int perSecond) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-scale-bench");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // One request in flight per broker, as KafkaFrameworkIT's load does (KAFKA-14359 after leader moves).
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < limit.get() && !stop; i++) {
        long wait = startNanos + (long) i * 1_000_000_000L / perSecond - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        String key = "key-" + (i % 1000);
        String value = "value-" + i + "-" + "x".repeat(80);
        long sentAt = elapsedMs();
        long sentNanos = System.nanoTime();
        producer.send(new ProducerRecord<>(topic, key, value), (meta, error) -> {
          if (error != null) {
            errors.add("producer: " + error);
            return;
          }
          acks.add(new Ack(sentAt, (System.nanoTime() - sentNanos) / 1_000_000));
          produced.computeIfAbsent(meta.partition(), p -> new ConcurrentHashMap<>())
              .put(meta.offset(), key + "=" + value);
        });
        sent.incrementAndGet();
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      errors.add("producer: " + e);
    }
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
          // One describe may fail while leaders move; the next round asks again.
        }
      }
    }
  }

  private Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, "kafka-scale-bench-" + name);
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
