package dev.kos.allocator.stream;

import dev.kos.bus.ControlBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

  private AllocatorService(KafkaStreams streams) {
    this.streams = streams;
  }

  /**
   * Starts the allocator and waits until it is running.
   *
   * @param overrides further Kafka Streams settings (for example a longer commit interval in tests)
   */
  public static AllocatorService start(ControlBus bus, AllocatorSettings settings, String applicationId, Path stateDir,
      Map<String, Object> overrides, Duration startTimeout) throws InterruptedException {
    Properties props = bus.settings().clientProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(AllocatorTopology.requiredStreamsConfig());
    props.putAll(overrides);
    KafkaStreams streams = new KafkaStreams(AllocatorTopology.build(bus, settings), props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
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
    return new AllocatorService(streams);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}
