package dev.kos.cli;

import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicBootstrap;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.embedded.BrokerPorts;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.registry.KafkaSchemaLog;
import dev.kos.bus.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * What `kos up` runs: a broker (unless an existing cluster is given), the catalogue's topics,
 * and a schema registry (unless an existing one is given). Closing stops what it started, in
 * reverse order.
 */
public final class LocalStack implements AutoCloseable {

  /** What to start; empty optionals mean "start our own". */
  public record Plan(Optional<String> bootstrapServers, Optional<String> schemaRegistry,
      Optional<Path> dataDir, int brokerPort, String registryHost, int registryPort, TopicCatalog catalog) {
  }

  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private String bootstrapServers;
  private String schemaRegistryUrl;

  private LocalStack() {
  }

  public static LocalStack start(Plan plan, PrintWriter progress) throws IOException {
    LocalStack stack = new LocalStack();
    try {
      stack.startBroker(plan, progress);
      stack.bootstrapTopics(plan.catalog(), progress);
      stack.startRegistry(plan, progress);
      stack.startAllocator(plan, progress);
      return stack;
    } catch (RuntimeException | IOException e) {
      stack.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  private void startBroker(Plan plan, PrintWriter progress) {
    if (plan.bootstrapServers().isPresent()) {
      bootstrapServers = plan.bootstrapServers().get();
      progress.println("using the Kafka cluster at " + bootstrapServers);
      return;
    }
    EmbeddedKafkaSettings settings = EmbeddedKafkaSettings.defaults()
        .withPorts(new BrokerPorts(plan.brokerPort(), 0));
    if (plan.dataDir().isPresent()) {
      settings = settings.withDataDir(plan.dataDir().get().resolve("kafka"));
    }
    progress.println("starting a Kafka broker (KRaft) in "
        + plan.dataDir().map(d -> d.resolve("kafka").toString()).orElse("a temporary directory") + " ...");
    long startedAt = System.nanoTime();
    EmbeddedKafka broker = EmbeddedKafka.start(settings);
    started.push(broker);
    bootstrapServers = broker.bootstrapServers();
    progress.printf("broker ready at %s in %.1f s (log: %s)%n", bootstrapServers,
        (System.nanoTime() - startedAt) / 1e9, broker.brokerLog());
  }

  private void bootstrapTopics(TopicCatalog catalog, PrintWriter progress) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      TopicBootstrap.Outcome outcome = new TopicBootstrap(admin, catalog).ensureTopics();
      progress.printf("topics: %d created, %d already there%n", outcome.created().size(), outcome.existing().size());
    }
  }

  private void startRegistry(Plan plan, PrintWriter progress) throws IOException {
    if (plan.schemaRegistry().isPresent()) {
      schemaRegistryUrl = plan.schemaRegistry().get();
      progress.println("using the schema registry at " + schemaRegistryUrl);
      return;
    }
    SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrapServers, KafkaSchemaLog.DEFAULT_TOPIC,
        plan.registryHost(), plan.registryPort());
    started.push(registry);
    schemaRegistryUrl = registry.url();
    progress.println("schema registry at " + schemaRegistryUrl + " (schemas kept in topic "
        + KafkaSchemaLog.DEFAULT_TOPIC + ")");
  }

  private void startAllocator(Plan plan, PrintWriter progress) throws IOException {
    Path stateDir = plan.dataDir().isPresent()
        ? Files.createDirectories(plan.dataDir().get().resolve("allocator"))
        : Files.createTempDirectory("kos-allocator");
    ControlBus bus = new ControlBus(new BusSettings(bootstrapServers, schemaRegistryUrl, plan.catalog()));
    progress.println("starting the allocator (Kafka Streams, exactly-once) ...");
    try {
      started.push(AllocatorService.start(bus, AllocatorSettings.defaults(), "kos-allocator", stateDir, Map.of(),
          Duration.ofSeconds(120)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the allocator", e);
    }
    progress.println("allocator running");
  }

  @Override
  public void close() {
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        System.err.println("kos: while stopping: " + e);
      }
    }
  }
}
