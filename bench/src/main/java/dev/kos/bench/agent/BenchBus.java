package dev.kos.bench.agent;

import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.bus.serde.AvroSerde;
import java.io.IOException;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.Admin;

/**
 * A kos bus for one benchmark: the embedded broker (or an existing cluster), a schema
 * registry, and every kos topic under a fresh prefix.
 */
public final class BenchBus implements AutoCloseable {
  final ControlBus bus;
  private final EmbeddedKafka broker;
  private final SchemaRegistryServer registry;

  private BenchBus(EmbeddedKafka broker, SchemaRegistryServer registry, ControlBus bus) {
    this.broker = broker;
    this.registry = registry;
    this.bus = bus;
  }

  /** @param bootstrap an existing cluster, or null for the embedded broker */
  public static BenchBus start(String bootstrap, int partitions) throws IOException {
    EmbeddedKafka broker = bootstrap == null ? EmbeddedKafka.start(EmbeddedKafkaSettings.defaults()) : null;
    String servers = bootstrap == null ? broker.bootstrapServers() : bootstrap;
    String prefix = "bench-agent-" + System.currentTimeMillis() + ".";
    SchemaRegistryServer registry = SchemaRegistryServer.start(servers, "_schemas-" + prefix, "127.0.0.1", 0);
    ControlBus bus = new ControlBus(new BusSettings(servers, registry.url(), new TopicCatalog(prefix, partitions, (short) 1)));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", servers))) {
      new TopicBootstrap(admin, bus.catalog()).ensureTopics();
    }
    return new BenchBus(broker, registry, bus);
  }

  /**
   * Registers every topic's value schema up front: a first registration takes seconds on a busy
   * machine, and would otherwise land inside the measured window.
   */
  public void registerSchemas() {
    bus.catalog().topics().forEach(topic ->
        bus.registry().register(AvroSerde.valueSubject(bus.topic(topic)), topic.valueSchema()));
  }

  public ControlBus bus() {
    return bus;
  }

  public BusSettings settings() {
    return bus.settings();
  }

  /** The embedded broker's process, or empty when the benchmark runs against an existing cluster. */
  public OptionalLong brokerPid() {
    return broker == null ? OptionalLong.empty() : OptionalLong.of(broker.pid());
  }

  @Override
  public void close() {
    registry.close();
    if (broker != null) {
      broker.close();
    }
  }
}
