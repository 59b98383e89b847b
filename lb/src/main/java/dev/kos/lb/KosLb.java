package dev.kos.lb;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.consume.DeadLetterPublisher;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.consume.RejectedRecordException;
import dev.kos.lb.core.Backend;
import dev.kos.lb.core.Served;
import dev.kos.lb.edge.EndpointsAvro;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kos lb}: follows {@code kos.endpoints} from its beginning (every app's latest record, then each change)
 * and serves each app on its service port and by path through an {@link EdgeServer}. A record that does not
 * decode, or whose key does not name its app, goes to {@code kos.dead-letters} with the reason, and the balancer
 * keeps serving what it had. Each request is logged to {@code kos.logs} (key: {@code lb:NAME}) and counted on
 * {@code kos.metrics} (one sample per app and interval).
 */
public final class KosLb implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KosLb.class);

  private final ControlBus bus;
  private final LbSettings settings;
  private final Clock clock;
  private final BusPublisher publisher;
  private final EdgeServer edge;
  private final LbMeters meters;
  private final BusConsumerLoop<AppEndpoints> endpoints;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "kos-lb-metrics");
    thread.setDaemon(true);
    return thread;
  });
  private final AtomicLong logSeq = new AtomicLong();
  private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();
  private final AtomicLong logFailures = new AtomicLong();
  private final BlockingQueue<LogLine> accessLines = new ArrayBlockingQueue<>(100_000);
  private Thread shipper;
  private Thread loop;
  /** Set once closing: requests still finishing are not logged to a producer that is gone. */
  private volatile boolean closing;

  public KosLb(ControlBus bus, LbSettings settings, Clock clock) {
    this.bus = bus;
    this.settings = settings;
    this.clock = clock;
    this.publisher = new BusPublisher(bus, "kos-lb-" + settings.name());
    this.edge = new EdgeServer(settings, clock, this::served);
    this.meters = new LbMeters(settings.name(), edge);
    String client = "kos-lb-" + settings.name();
    this.endpoints = new BusConsumerLoop<>(bus, null, client, this::fromTheBeginning,
        bus.serde(Topics.ENDPOINTS)::deserialize, this::onEndpoints,
        new DeadLetterPublisher(bus, publisher, client, clock::instant));
  }

  /** Starts serving and following {@code kos.endpoints}; a loop that dies ends the process (see LoopSupervisor). */
  public KosLb start() {
    return start(LoopSupervisor.forProcess());
  }

  public KosLb start(LoopSupervisor supervisor) {
    edge.start();
    loop = supervisor.start("kos-lb-" + settings.name() + "-endpoints", endpoints);
    shipper = new Thread(this::shipAccessLog, "kos-lb-" + settings.name() + "-access-log");
    shipper.setDaemon(true);
    shipper.start();
    if (!settings.metricsInterval().isZero()) {
      long every = settings.metricsInterval().toMillis();
      timer.scheduleAtFixedRate(this::publishMetrics, every, every, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** Waits until the records that were on {@code kos.endpoints} at start are applied; false on timeout. */
  public boolean awaitCaughtUp(long timeout, TimeUnit unit) throws InterruptedException {
    return caughtUp.await(timeout, unit);
  }

  public EdgeServer edge() {
    return edge;
  }

  private final Map<org.apache.kafka.common.TopicPartition, Long> startEnd = new HashMap<>();

  private void fromTheBeginning(Consumer<byte[], byte[]> consumer) {
    List<org.apache.kafka.common.TopicPartition> partitions =
        CompactedTopics.partitionsOf(consumer, bus.topic(Topics.ENDPOINTS));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    startEnd.putAll(consumer.endOffsets(partitions));
    startEnd.values().removeIf(end -> end == 0);
    if (startEnd.isEmpty()) {
      caughtUp.countDown();
    }
  }

  private void onEndpoints(BusRecord<AppEndpoints> record) {
    try {
      if (record.key() == null) {
        throw new RejectedRecordException("an endpoints record without a key (the key is the app id)");
      }
      if (record.value() == null) {
        edge.apply(record.key(), Optional.empty());
        return;
      }
      if (!record.key().equals(record.value().getAppId())) {
        throw new RejectedRecordException("the record's key " + record.key() + " is not its app "
            + record.value().getAppId() + "; the balancer keeps " + record.key() + "'s previous backends");
      }
      edge.apply(record.key(), Optional.of(EndpointsAvro.view(record.value())));
      meters.app(record.key());
    } finally {
      noteProgress(record);
    }
  }

  private void noteProgress(BusRecord<AppEndpoints> record) {
    if (caughtUp.getCount() == 0) {
      return;
    }
    startEnd.entrySet().removeIf(e -> e.getKey().partition() == record.partition() && record.offset() + 1 >= e.getValue());
    if (startEnd.isEmpty()) {
      log.info("kos lb {}: caught up with {}: {}", settings.name(), bus.topic(Topics.ENDPOINTS), edge.backends());
      caughtUp.countDown();
    }
  }

  private void served(Served request) {
    meters.served(request);
    counts.computeIfAbsent(request.appId(), id -> new ConcurrentHashMap<>())
        .computeIfAbsent(request.statusClass(), c -> new LongAdder()).increment();
    counts.get(request.appId()).computeIfAbsent("latencyMicros", c -> new LongAdder()).add(request.micros());
    if (!settings.accessLog() || closing) {
      return;
    }
    LogLine line = LogLine.newBuilder()
        .setTaskId("lb:" + settings.name())
        .setFrameworkId("kos-lb")
        .setAppId(request.appId())
        .setAgentId(settings.name())
        .setStream(LogStream.STDOUT)
        .setTimestamp(request.at())
        .setSeq(logSeq.incrementAndGet())
        .setLine(request.line())
        .build();
    // Never block an I/O thread on Kafka (a send may wait for metadata or buffer space): lines queue for the
    // shipper thread, and a full queue drops the line and counts it.
    if (!accessLines.offer(line) && logFailures.incrementAndGet() % 1000 == 1) {
      log.warn("kos lb {}: access log lines dropped, the bus does not keep up ({} so far)", settings.name(),
          logFailures.get());
    }
  }

  private void shipAccessLog() {
    try {
      while (!closing || !accessLines.isEmpty()) {
        LogLine line = accessLines.poll(200, TimeUnit.MILLISECONDS);
        if (line != null) {
          publisher.publishAsync(Topics.LOGS, line.getTaskId(), line, error -> {
            if (logFailures.incrementAndGet() % 1000 == 1) {
              log.warn("kos lb {}: access log lines lost ({} so far): {}", settings.name(), logFailures.get(),
                  error.toString());
            }
          });
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publishMetrics() {
    try {
      Instant now = clock.instant();
      Map<String, Map<Backend, Integer>> inFlight = edge.inFlight();
      for (Map.Entry<String, Map<Backend, Integer>> app : inFlight.entrySet()) {
        Map<String, Double> values = new HashMap<>();
        Map<String, LongAdder> mine = counts.getOrDefault(app.getKey(), Map.of());
        long requests = 0;
        for (String cls : List.of("2xx", "3xx", "4xx", "5xx")) {
          long n = Optional.ofNullable(mine.get(cls)).map(LongAdder::sumThenReset).orElse(0L);
          values.put("requests" + cls.toUpperCase(java.util.Locale.ROOT), (double) n);
          requests += n;
        }
        long micros = Optional.ofNullable(mine.get("latencyMicros")).map(LongAdder::sumThenReset).orElse(0L);
        values.put("requests", (double) requests);
        values.put("meanLatencyMs", requests == 0 ? 0.0 : micros / 1000.0 / requests);
        values.put("backends", (double) app.getValue().size());
        values.put("inFlight", (double) app.getValue().values().stream().mapToInt(Integer::intValue).sum());
        String source = "lb:" + settings.name() + ":" + app.getKey();
        publisher.publishAsync(Topics.METRICS, source, MetricSample.newBuilder().setSourceId(source)
            .setKind("service").setAppId(app.getKey()).setValues(values).setTimestamp(now).build(),
            error -> log.warn("kos lb {}: metrics lost: {}", settings.name(), error.toString()));
      }
    } catch (RuntimeException e) {
      log.warn("kos lb {}: could not publish metrics: {}", settings.name(), e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    timer.shutdownNow();
    endpoints.close();
    if (loop != null) {
      loop.join(10_000);
    }
    edge.close();
    meters.close();
    if (shipper != null) {
      shipper.join(5_000);
    }
    publisher.close();
  }
}
