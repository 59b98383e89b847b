package dev.kos.allocator.stream;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Durability;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.metrics.SummedGauges;
import io.micrometer.core.instrument.Tags;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocator as a running Kafka Streams application with exactly-once processing. Several
 * instances with the same application id share the agent shards between them.
 */
public final class AllocatorService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AllocatorService.class);

  private final KafkaStreams streams;
  private final SummedGauges.Contribution lag;

  private AllocatorService(KafkaStreams streams, String applicationId) {
    this.streams = streams;
    // Read at each scrape: Kafka Streams' metrics may be read from any thread. Summed, as two instances in one
    // process (a test's, or one taking over) share the group and client tags.
    this.lag = ProcessMetrics.summedGauges().add("kos_consumer_lag",
        "Records on a consumer loop's partitions that it has not read yet, as of its last poll",
        Tags.of("group", applicationId, "client", "streams"), () -> StreamsLag.of(streams.metrics()));
  }

  /**
   * Starts the allocator and waits until it is running.
   *
   * @param overrides further Kafka Streams settings (for example a longer commit interval in tests)
   */
  public static AllocatorService start(ControlBus bus, AllocatorSettings settings, String applicationId, Path stateDir,
      Map<String, Object> overrides, Duration startTimeout) throws InterruptedException {
    return start(bus, settings, Clock.systemUTC(), applicationId, stateDir, overrides, startTimeout);
  }

  /** Starts the allocator on the given clock, which its rounds, timeouts and records read. */
  public static AllocatorService start(ControlBus bus, AllocatorSettings settings, Clock clock, String applicationId,
      Path stateDir, Map<String, Object> overrides, Duration startTimeout) throws InterruptedException {
    Properties props = bus.settings().clientProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(AllocatorTopology.requiredStreamsConfig());
    props.putAll(internalTopicDurability(bus, props));
    props.putAll(overrides);
    KafkaStreams streams = new KafkaStreams(AllocatorTopology.build(bus, settings, clock), props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      // In the process's log, so a stall after a bus outage shows whether the allocator rebalanced, errored or waited.
      log.info("allocator state {} -> {}", before, now);
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.setUncaughtExceptionHandler(e -> {
      log.error("allocator stream thread failed; replacing it", e);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    if (!running.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
      streams.close(Duration.ofSeconds(10));
      throw new IllegalStateException("the allocator did not reach RUNNING within " + startTimeout
          + " (state " + streams.state() + "); is the broker reachable and are the kos topics there?");
    }
    log.info("allocator {} running (exactly-once, round every {})", applicationId, settings.roundInterval());
    return new AllocatorService(streams, applicationId);
  }

  /**
   * The allocator's own topics (changelogs of its stores, repartitions) are as durable as the kos topics: on a bus of
   * three or more brokers 3 replicas and min.insync.replicas 2, so losing one broker loses no allocation state. Its
   * producer retries for as long as kos's own producers do, so a bus outage of a minute or more loses nothing.
   */
  private static Map<String, Object> internalTopicDurability(ControlBus bus, Properties clientProps) {
    Durability durability;
    try (Admin admin = Admin.create(clientProps)) {
      durability = Durability.of(admin, bus.catalog().replicationFactor());
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot count the bus's brokers to choose the allocator's replication: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while counting the bus's brokers", e);
    }
    log.info("allocator internal topics: {}", durability.describe());
    return Map.of(
        StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) durability.replicationFactor(),
        StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), Integer.toString(durability.minInsyncReplicas()),
        StreamsConfig.producerPrefix(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG),
        bus.producerProperties("allocator").get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Stops the instance and leaves the consumer group, so its shards move to the other instances at once. Kafka
   * Streams otherwise stays a member until its session times out (45 s by default), and for that long nobody
   * offers, launches on or watches the agents of its shards: every scale-in or rolling restart would stall them.
   */
  @Override
  public void close() {
    lag.close();
    streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(Duration.ofSeconds(30)));
  }
}
