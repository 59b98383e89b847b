package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.embedded.SaslPlainSetup;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.registry.KafkaSchemaLog;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.Kos;
import dev.kos.model.TaskState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kos on a bus with SASL/PLAIN and an authorizer, as docs/security.md sets it up: the operator (a super user)
 * creates the topics and the services' ACLs with the kos commands; the allocator, an agent, the schema
 * registry and a framework run as principal {@code User:kos} with only those ACLs and run a task through both
 * levels of scheduling; an authenticated principal without ACLs cannot write a command.
 */
class SecuredBusIT {

  private static final TopicCatalog CATALOG = new TopicCatalog(TopicCatalog.DEFAULT_PREFIX, 2, (short) 1);

  @TempDir
  Path dir;

  @Test
  void shouldRunKosAsAPrincipalWithItsAclsAndRefuseOneWithout() throws Exception {
    SaslPlainSetup sasl = SaslPlainSetup.of(Map.of("admin", "admin-secret", "kos", "kos-secret",
        "mallory", "mallory-secret"), "admin");
    try (EmbeddedKafka broker = EmbeddedKafka.start(sasl.applyTo(EmbeddedKafkaSettings.defaults()))) {
      String bootstrap = broker.bootstrapServers();
      Path admin = properties("admin.properties", sasl.clientConfig("admin"));
      assertThat(kos("topics", "--create", "--bootstrap-server", bootstrap, "--client-config", admin.toString(),
          "--partitions", "2")).as("the operator creates the topics").isZero();
      assertThat(kos("acls", "--apply", "--principal", "User:kos", "--bootstrap-server", bootstrap,
          "--client-config", admin.toString())).as("and the services' ACLs").isZero();

      Map<String, String> asKos = sasl.clientConfig("kos");
      OneTask framework = new OneTask("hello", "echo hello");
      try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, asKos, KafkaSchemaLog.DEFAULT_TOPIC,
              "127.0.0.1", 0)) {
        ControlBus bus = new ControlBus(new BusSettings(bootstrap, registry.url(), CATALOG, asKos));
        try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(), "kos-allocator",
                dir.resolve("allocator"), Map.of(), Duration.ofSeconds(90));
            BusAgent agent = BusAgent.start(new AgentSettings("a1", "a1",
                ResourceFlag.parseExact("cpus:2;mem:1024;disk:1000;ports:[31000-31010]"), Map.of(), Map.of(),
                dir.resolve("agent"), bus.settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
                Clock.systemUTC());
            BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("hello", "web"), framework,
                Clock.systemUTC()).start()) {
          TestBus.await("the task to finish on the secured bus", () -> framework.states().contains(TaskState.FINISHED));
        }
      }
      assertThat(framework.states()).containsSubsequence(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);

      Properties asMallory = new Properties();
      asMallory.putAll(sasl.clientConfig("mallory"));
      asMallory.put("bootstrap.servers", bootstrap);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asMallory, new ByteArraySerializer(),
          new ByteArraySerializer())) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(CATALOG.prefix() + "commands", new byte[1]))
            .get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  private int kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(Map.of("KOS_HOME", dir.resolve("home").toString()), new PrintWriter(out, true),
        new PrintWriter(err, true), args);
    System.out.println("kos " + String.join(" ", args) + " -> " + code + "\n" + out + err);
    return code;
  }

  private Path properties(String name, Map<String, String> settings) throws Exception {
    return Files.writeString(dir.resolve(name), settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
  }
}
