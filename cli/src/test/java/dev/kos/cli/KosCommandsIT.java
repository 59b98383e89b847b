package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.CommandTargets;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.KillInstance;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.SetScalingPolicy;
import dev.kos.schema.UndrainAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that change things, on a real broker, with a stand-in handler that answers on
 * kos.command-results as the apps framework and the allocator do: accepted, rejected, or not at all.
 */
@ExtendWith(KafkaBrokerExtension.class)
class KosCommandsIT {

  private static final Pattern COMMAND_ID = Pattern.compile("command (\\S+) ");

  @TempDir
  static Path home;

  private static TestBus bus;
  private static InProcessKos kos;
  private static Responder responder;

  @BeforeAll
  static void start(@BootstrapServers String bootstrap) {
    bus = TestBus.start(bootstrap, 2);
    kos = InProcessKos.on(bus, home);
    responder = new Responder(bus);
    responder.start();
  }

  @AfterAll
  static void stop() throws InterruptedException {
    responder.stop();
    bus.close();
  }

  @Test
  void shouldWaitForTheAcceptanceAndPrintTheDeployment() {
    InProcessKos.Result result = kos.run("app", "scale", "/web", "5");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("accepted by apps, deployment d-");
    Received received = responder.received(commandId(result.out()));
    assertThat(received.key()).isEqualTo("/web");
    assertThat(received.command().getPrincipal()).isEqualTo("alice");
    assertThat(received.command().getRole()).isEqualTo("*");
    assertThat(received.command().getPayload()).isEqualTo(new ScaleApp("/web", 5));
  }

  @Test
  void shouldPrintTheReasonOfARejectionAndExitWithOne() {
    InProcessKos.Result result = kos.run("app", "remove", "/nope");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.err()).contains("rejected by apps: no app /nope");
  }

  @Test
  void shouldExitWithThreeAndSayWhoShouldHaveAnsweredWhenNobodyDoes() {
    InProcessKos.Result result = kos.run("app", "restart", "/silent", "--timeout", "2s");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(3);
    assertThat(result.err()).contains(
        "no framework answered within 2s: is the apps framework running? (kos up starts it)");
  }

  @Test
  void shouldOnlyPublishWithNoWait() {
    InProcessKos.Result result = kos.run("app", "restart", "/silent", "--no-wait");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).contains("sent to " + bus.bus().topic(Topics.COMMANDS));
    TestBus.await("the command on the bus", () -> responder.commands.containsKey(commandId(result.out())));
  }

  @Test
  void shouldDeployASpecFileAsThePrincipalAndRoleGiven() throws Exception {
    Path file = Files.writeString(home.resolve("web.json"), "{\"id\": \"/team-a/web\", \"cmd\": \"sleep 60\", "
        + "\"instances\": 3, \"role\": \"web\"}");

    InProcessKos.Result result = kos.run("app", "deploy", file.toString(), "--principal", "bob", "--role", "web");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    Received received = responder.received(commandId(result.out()));
    assertThat(received.key()).isEqualTo("/team-a/web");
    assertThat(received.command().getPrincipal()).isEqualTo("bob");
    assertThat(received.command().getRole()).isEqualTo("web");
    assertThat(((DeployApp) received.command().getPayload()).getApp().getInstances()).isEqualTo(3);
  }

  @Test
  void shouldRefuseASpecThatViolatesTheSchemaNamingTheField() throws Exception {
    Path file = Files.writeString(home.resolve("bad.json"), "{\"id\": \"/web\", \"instances\": \"three\"}");

    InProcessKos.Result result = kos.run("app", "update", file.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("not a valid AppSpec, nothing was sent", "$.instances");
  }

  @Test
  void shouldSendPoliciesKillsAndDrains() {
    List<String[]> lines = List.of(
        new String[] {"app", "policy", "/web", "--clear"},
        new String[] {"task", "kill", "web-1.0", "--scale"},
        new String[] {"agent", "drain", "a1"},
        new String[] {"agent", "undrain", "a1"});
    List<Object> payloads = List.of(new SetScalingPolicy("/web", null), new KillInstance("web-1.0", true),
        new DrainAgent("a1"), new UndrainAgent("a1"));

    for (int i = 0; i < lines.size(); i++) {
      InProcessKos.Result result = kos.run(lines.get(i));
      assertThat(result.exitCode()).as(result.toString()).isZero();
      assertThat(responder.received(commandId(result.out())).command().getPayload()).isEqualTo(payloads.get(i));
    }
  }

  @Test
  void shouldAskForEitherAPolicyOrClear() {
    InProcessKos.Result result = kos.run("app", "policy", "/web");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("give either a policy FILE or --clear, not neither");
  }

  private static String commandId(String out) {
    Matcher matcher = COMMAND_ID.matcher(out);
    assertThat(matcher.find()).as("a command id in: " + out).isTrue();
    return matcher.group(1);
  }

  /** A command as the handler saw it on kos.commands. */
  private record Received(String key, Command command) {
  }

  /**
   * Answers every command as a handler would: rejects those for /nope, ignores those for /silent,
   * accepts the rest with a deployment id.
   */
  private static final class Responder {

    private final TestBus bus;
    private final Map<String, Received> commands = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread = new Thread(this::answer, "responder");

    Responder(TestBus bus) {
      this.bus = bus;
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
    }

    Received received(String commandId) {
      Received received = commands.get(commandId);
      assertThat(received).as("command " + commandId + " seen by the handler").isNotNull();
      return received;
    }

    private void answer() {
      String topic = bus.bus().topic(Topics.COMMANDS);
      try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
          bus.bus().consumerProperties(null, "responder"), new StringDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
            .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        while (running.get()) {
          for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
            Command command = bus.bus().serde(Topics.COMMANDS).deserialize(topic, record.value());
            commands.put(command.getCommandId(), new Received(record.key(), command));
            respond(command);
          }
        }
      }
    }

    private void respond(Command command) {
      String target = CommandTargets.targetOf(command);
      boolean allocator = command.getPayload() instanceof DrainAgent || command.getPayload() instanceof UndrainAgent;
      CommandResult.Builder result = CommandResult.newBuilder().setCommandId(command.getCommandId())
          .setHandledBy(allocator ? "allocator" : "apps").setTimestamp(Instant.now());
      switch (target) {
        case "/silent" -> {
          return;
        }
        case "/nope" -> result.setStatus(CommandStatus.REJECTED).setReason("no app /nope");
        default -> result.setStatus(CommandStatus.ACCEPTED).setDeploymentId("d-" + command.getCommandId());
      }
      bus.publish(Topics.COMMAND_RESULTS, command.getCommandId(), result.build());
    }
  }
}
