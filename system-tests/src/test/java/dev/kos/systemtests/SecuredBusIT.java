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
import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
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
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.model.TaskState;
import dev.kos.schema.Command;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.RunJob;
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
 *
 * <p>And the frameworks and the allocator check a command's principal themselves, against the same grants as the API
 * (its token file, as their access policy): a job command and a drain written straight to {@code kos.commands} by a
 * principal with Write there, claiming a principal without the permission, are rejected by the jobs framework and the
 * allocator, naming the missing permission.
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
      // The API's token file is also the access policy of the components behind it: one table of grants.
      List<String> tokenLines = List.of(Tokens.line("mallory", "*:operate", malloryToken));
      AccessPolicy access = AccessPolicy.parse("tokens", tokenLines);
      try (SchemaRegistryServer registry = SchemaRegistryServer.start(bootstrap, asKos, KafkaSchemaLog.DEFAULT_TOPIC,
              "127.0.0.1", 0)) {
        ControlBus bus = new ControlBus(new BusSettings(bootstrap, registry.url(), CATALOG, asKos));
        try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults().withAccess(access), "kos-allocator",
                dir.resolve("allocator"), Map.of(), Duration.ofSeconds(90));
            BusAgent agent = BusAgent.start(new AgentSettings("a1", "a1",
                ResourceFlag.parseExact("cpus:2;mem:1024;disk:1000;ports:" + ForkPorts.range(0, 11)), Map.of(), Map.of(),
                dir.resolve("agent"), bus.settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
                Clock.systemUTC());
            BusSchedulerDriver driver = new BusSchedulerDriver(bus, FrameworkSettings.of("hello", "web"), framework,
                Clock.systemUTC()).start();
            AppsFramework apps = new AppsFramework(bus, "*", TenantPolicy.parse(tenants), Clock.systemUTC())
                .authorizing(access).start();
            JobsFramework jobs = new JobsFramework(bus, JobsFramework.ROLE, JobsConfig.DEFAULT, Clock.systemUTC())
                .authorizing(access).start();
            ApiServer api = ApiServer.start(bus, TokenFile.parse("tokens", tokenLines), "127.0.0.1", 0,
                Duration.ofSeconds(90), Clock.systemUTC())) {
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

          // A principal with Write on kos.commands (here the services' own) writes commands straight to the bus that
          // claim mallory, who may operate in role * only: the jobs framework and the allocator check the claimed
          // principal against the same grants and reject them, naming the missing permission.
          Command job = Commands.of("mallory", "jobs", JsonToAvro.toSpecificRecord(
              "{\"job\": {\"id\": \"mined\", \"cmd\": \"true\", \"role\": \"jobs\"}}", RunJob.class),
              Clock.systemUTC());
          assertThat(rejection(bus, job, Answerer.JOBS_FRAMEWORK))
              .isEqualTo("principal mallory lacks the permission operate in role jobs (it has *:operate)");
          assertThat(jobs.jobs()).as("the jobs the framework knows").doesNotContainKey("mined");
          Command drain = Commands.of("mallory", "*", new DrainAgent("a1"), Clock.systemUTC());
          assertThat(rejection(bus, drain, Answerer.ALLOCATOR)).isEqualTo(
              "principal mallory lacks the permission admin on the cluster (@all:admin) (it has *:operate)");

          // The kos command through the API (--api, --token, or KOS_API and KOS_TOKEN): reads its views, sends app
          // commands as the token's principal, and shows the API's refusals as it words them.
          String url = "http://127.0.0.1:" + api.port();
          Path spec = Files.writeString(dir.resolve("web.json"),
              "{\"id\": \"/team-m/web\", \"cmd\": \"sleep 600\", \"cpus\": 0.1, \"mem\": 32}");
          Output deployed = kosWith(Map.of(), "app", "deploy", spec.toString(), "--api", url, "--token", malloryToken);
          assertThat(deployed.code()).as(deployed.toString()).isZero();
          assertThat(deployed.out()).contains("accepted by apps");
          Map<String, String> viaApi = Map.of("KOS_API", url, "KOS_TOKEN", malloryToken);
          Output listed = kosWith(viaApi, "app", "list");
          assertThat(listed.code()).as(listed.toString()).isZero();
          assertThat(listed.out()).contains("/team-m/web");
          assertThat(kosWith(viaApi, "app", "show", "/team-m/web", "--json").out()).contains("appId")
              .contains("/team-m/web");
          assertThat(kosWith(viaApi, "app", "scale", "/team-m/web", "2").out()).contains("accepted by apps");
          TestBus.await("/team-m/web wanted at 2, through the API",
              () -> kosWith(viaApi, "app", "list").out().contains("/2"));
          Output elsewhere = kosWith(viaApi, "app", "remove", "/team-b/forged");
          assertThat(elsewhere.code()).as(elsewhere.toString()).isEqualTo(1);
          assertThat(elsewhere.err()).contains("rejected by apps: principal mallory may not act on /team-b/forged");
          assertThat(kosWith(viaApi, "agent", "list").out()).contains("a1");
          assertThat(kosWith(viaApi, "job", "list").out()).contains("no jobs yet");
          assertThat(kosWith(viaApi, "kafka", "list").out()).contains("no kafka clusters");
          Output forbidden = kosWith(viaApi, "agent", "drain", "a1");
          assertThat(forbidden.code()).as(forbidden.toString()).isEqualTo(2);
          assertThat(forbidden.err()).contains("kos: the API refused the request (403 Forbidden): principal mallory "
              + "lacks the permission admin on the cluster (@all:admin) (it has *:operate)");
          Output unknown = kosWith(Map.of(), "app", "list", "--api", url, "--token", "kos_not-a-token");
          assertThat(unknown.code()).as(unknown.toString()).isEqualTo(2);
          assertThat(unknown.err()).contains("kos: the API refused the request (401 Unauthorized): the token is not in "
              + "the API's token file");
          assertThat(kosWith(Map.of(), "app", "list", "--token", malloryToken).err())
              .contains("--token goes with --api URL");
        }
      }
      assertThat(framework.states()).containsSubsequence(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
    }
  }

  /** Sends {@code command} and returns the reason of its rejection (failing if it was anything else). */
  private static String rejection(ControlBus bus, Command command, Answerer answerer) {
    CommandOutcome outcome = CommandSender.send(bus, command, Duration.ofSeconds(90), true, answerer);
    assertThat(outcome).as(outcome.describe()).isInstanceOf(CommandOutcome.Answered.class);
    assertThat(((CommandOutcome.Answered) outcome).result().getStatus()).as(outcome.describe())
        .isEqualTo(CommandStatus.REJECTED);
    return ((CommandOutcome.Answered) outcome).result().getReason();
  }

  record Output(int code, String out, String err) {
  }

  /** Runs a kos command line with {@code env} added to KOS_HOME, and returns its exit code and output. */
  private Output kosWith(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("KOS_HOME", dir.resolve("home").toString());
    int code = Kos.run(all, new PrintWriter(out, true), new PrintWriter(err, true), args);
    System.out.println("kos " + String.join(" ", args) + " -> " + code + "\n" + out + err);
    return new Output(code, out.toString(), err.toString());
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
