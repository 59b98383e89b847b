package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.api.auth.TokenFile;
import dev.kos.api.auth.Tokens;
import dev.kos.api.http.ApiServer;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.BusSettings;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.Commands;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.embedded.SaslPlainSetup;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.json.JsonToAvro;
import dev.kos.bus.registry.KafkaSchemaLog;
import dev.kos.bus.registry.SchemaRegistryServer;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.Kos;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.model.TaskState;
import dev.kos.schema.Command;
import dev.kos.schema.DeployApp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kos on a bus with SASL/PLAIN and an authorizer, as docs/security.md sets it up: the operator (a super user)
 * creates the topics and the services' ACLs with the kos commands; the allocator, an agent, the schema
 * registry and a framework run as principal {@code User:kos} with only those ACLs and run a task through both
 * levels of scheduling; an authenticated principal without ACLs cannot write a command.
 *
 * <p>And the principal in a command is the one the API authenticated (docs/security.md, section 5): a user with the
 * Kafka rights of a watcher (Read on the kos topics) who writes a well-formed command claiming another principal
 * straight to {@code kos.commands} is refused by the broker, and the apps framework never sees it; the same command
 * sent through the API (running as {@code User:kos}) carries her own principal and is rejected by the tenant policy
 * with its reason.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
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
      Properties asMallory = withBootstrap(sasl.clientConfig("mallory"), bootstrap);
      OneTask framework = new OneTask("hello", "echo hello");
      Properties tenants = new Properties();
      tenants.setProperty("principal.mallory.roles", "*");
      tenants.setProperty("principal.mallory.prefixes", "/team-m/");
      tenants.setProperty("principal.ops.roles", "*");
      tenants.setProperty("principal.ops.prefixes", "/");
      String malloryToken = Tokens.newToken();
      try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, asKos, KafkaSchemaLog.DEFAULT_TOPIC,
              "127.0.0.1", 0)) {
        ControlBus bus = new ControlBus(new BusSettings(bootstrap, registry.url(), CATALOG, asKos));
        try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(), "kos-allocator",
                dir.resolve("allocator"), Map.of(), Duration.ofSeconds(90));
            BusAgent agent = BusAgent.start(new AgentSettings("a1", "a1",
                ResourceFlag.parseExact("cpus:2;mem:1024;disk:1000;ports:" + ForkPorts.range(0, 11)), Map.of(), Map.of(),
                dir.resolve("agent"), bus.settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
                Clock.systemUTC());
            BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("hello", "web"), framework,
                Clock.systemUTC()).start();
            AppsFramework apps = new AppsFramework(bus, "*", TenantPolicy.parse(tenants), Clock.systemUTC()).start();
            ApiServer api = ApiServer.start(bus, TokenFile.parse("tokens", List.of(Tokens.line("mallory", "*:operate",
                malloryToken))), "127.0.0.1", 0, Duration.ofSeconds(90), Clock.systemUTC())) {
          TestBus.await("the task to finish on the secured bus", () -> framework.states().contains(TaskState.FINISHED));

          // Mallory, authenticated but without ACLs, cannot write a command.
          try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(asMallory, new ByteArraySerializer(),
              new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(CATALOG.prefix() + "commands", new byte[1]))
                .get()).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
          }

          // Then she may read the kos topics, as a user who watches results and status does.
          try (Admin operator = Admin.create(withBootstrap(sasl.clientConfig("admin"), bootstrap))) {
            ResourcePattern kosTopics = new ResourcePattern(ResourceType.TOPIC, CATALOG.prefix(), PatternType.PREFIXED);
            operator.createAcls(Stream.of(AclOperation.READ, AclOperation.DESCRIBE).map(operation -> new AclBinding(
                kosTopics, new AccessControlEntry("User:mallory", "*", operation, AclPermissionType.ALLOW))).toList())
                .all().get();
          }
          // She writes a well-formed command, in the registry's format, that claims to come from ops, whom the tenant
          // policy lets deploy anywhere. The broker refuses it: only the services' principal writes kos.commands.
          ControlBus malloryBus = new ControlBus(new BusSettings(bootstrap, registry.url(), CATALOG,
              sasl.clientConfig("mallory")));
          Command forged = Commands.of("ops", "*", JsonToAvro.toSpecificRecord("{\"app\": {\"id\": \"/team-b/forged\", "
              + "\"cmd\": \"sleep 600\", \"cpus\": 0.1, \"mem\": 32}}", DeployApp.class), Clock.systemUTC());
          String commands = malloryBus.topic(Topics.COMMANDS);
          // Without idempotence, so the broker's answer is about the topic: an idempotent producer with Describe on
          // the topics but Write on none is refused earlier, at its producer id (ClusterAuthorizationException).
          Properties plainProducer = withBootstrap(sasl.clientConfig("mallory"), bootstrap);
          plainProducer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
          plainProducer.put(ProducerConfig.ACKS_CONFIG, "1");
          try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(plainProducer, new StringSerializer(),
              new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(commands, "/team-b/forged",
                malloryBus.serde(Topics.COMMANDS).serialize(commands, forged))).get())
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
          }

          // Through the API, the same command carries her own principal, and the tenant policy rejects it, saying why.
          HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
              "http://127.0.0.1:" + api.port() + "/api/v1/commands/DeployApp")).timeout(Duration.ofSeconds(90))
              .header("Authorization", "Bearer " + malloryToken).POST(HttpRequest.BodyPublishers.ofString(
                  "{\"app\": {\"id\": \"/team-b/forged\", \"cmd\": \"sleep 600\", \"cpus\": 0.1, \"mem\": 32}}"))
              .build(), HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
          assertThat(answer.body()).contains("\"outcome\":\"rejected\"")
              .contains("principal mallory may not act on /team-b/forged: its apps are under /team-m/");
          assertThat(apps.apps()).as("the apps the framework knows").doesNotContainKey("/team-b/forged");
        }
      }
      assertThat(framework.states()).containsSubsequence(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
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

  private static Properties withBootstrap(Map<String, String> settings, String bootstrap) {
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.put("bootstrap.servers", bootstrap);
    return properties;
  }

  private Path properties(String name, Map<String, String> settings) throws Exception {
    return Files.writeString(dir.resolve(name), settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\")).collect(Collectors.joining("\n")));
  }
}
