package dev.kos.frameworks.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.KillInstance;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.PortRange;
import dev.kos.schema.Resources;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The apps framework across restarts and replays, on a real broker; the test plays the allocator and the
 * agents (offers in, accepts out, statuses in).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AppsFrameworkRestartIT {

  @Test
  @Timeout(180)
  void shouldWriteEachTaskToKosAppsBeforeItsAcceptGoesOut(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AppsFramework framework = framework(bus)) {
      assertThat(send(bus, "/web", "deploy-1", deploy("/web", 3)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-1", "a1"));

      ConsumerRecord<String, SpecificRecord> accept = records(bus, Topics.ACCEPTS, 1).get(0);
      List<String> taskIds = ((Accept) ((AcceptEvent) accept.value()).getPayload()).getOperations().stream()
          .filter(LaunchOperation.class::isInstance).flatMap(op -> ((LaunchOperation) op).getTasks().stream())
          .map(TaskInfo::getTaskId).toList();
      assertThat(taskIds).hasSize(3);
      ConsumerRecord<String, SpecificRecord> intent = records(bus, Topics.APPS, 1).stream()
          .filter(r -> r.value() != null && ((AppState) r.value()).getInstances().size() == 3)
          .findFirst().orElseThrow();

      assertThat(intent.timestamp()).as("the state naming the tasks is written before their accept (at %d)",
          accept.timestamp()).isLessThanOrEqualTo(accept.timestamp());
    }
  }

  @Test
  @Timeout(240)
  void shouldAdoptATaskLaunchedJustBeforeARestartInsteadOfLaunchingItAgain(@BootstrapServers String bootstrap)
      throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      String taskId;
      try (AppsFramework first = framework(bus)) {
        assertThat(send(bus, "/svc", "deploy-4", deploy("/svc", 1)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-4", "a1"));
        TestBus.await("the task launched", () -> first.instances().size() == 1);
        taskId = first.instances().get(0).taskId();
      }
      // No agent has reported on the task yet when the framework comes back; kos.tasks does not know it.
      try (AppsFramework second = framework(bus)) {
        bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-5", "a2"));
        Thread.sleep(2000);
        bus.publish(Topics.TASK_STATUS, "a1", running(taskId));
        TestBus.await("the task adopted as running", () -> second.instances().stream()
            .anyMatch(i -> i.taskId().equals(taskId) && i.healthy()));

        List<String> launched = records(bus, Topics.ACCEPTS, 1).stream()
            .map(r -> ((AcceptEvent) r.value()).getPayload()).filter(Accept.class::isInstance)
            .flatMap(a -> ((Accept) a).getOperations().stream()).filter(LaunchOperation.class::isInstance)
            .flatMap(op -> ((LaunchOperation) op).getTasks().stream()).map(TaskInfo::getTaskId).toList();
        assertThat(launched).as("launched once").containsExactly(taskId);
        assertThat(second.instances()).singleElement().satisfies(i -> assertThat(i.taskId()).isEqualTo(taskId));
      }
    }
  }

  @Test
  @Timeout(180)
  void shouldKeepARunningTaskRunningWhenADuplicateAcceptOfItsIdIsDropped(@BootstrapServers String bootstrap)
      throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AppsFramework framework = framework(bus)) {
      assertThat(send(bus, "/one", "deploy-5", deploy("/one", 1)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-6", "a1"));
      TestBus.await("the task launched", () -> framework.instances().size() == 1);
      String taskId = framework.instances().get(0).taskId();
      bus.publish(Topics.TASK_STATUS, "a1", running(taskId));
      TestBus.await("the task running", () -> framework.instances().get(0).healthy());

      // The allocator's answer to an accept that repeated the running task's id.
      bus.publish(Topics.TASK_STATUS, "a1", TaskStatus.newBuilder(running(taskId)).setState(TaskState.DROPPED)
          .setMessage("task " + taskId + " runs already").build());
      bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-7", "a2"));
      Thread.sleep(2000);

      assertThat(framework.instances()).singleElement().satisfies(i -> {
        assertThat(i.taskId()).isEqualTo(taskId);
        assertThat(i.state().name()).isEqualTo("RUNNING");
      });
      assertThat(records(bus, Topics.ACCEPTS, 2).stream().map(r -> ((AcceptEvent) r.value()).getPayload())
          .filter(Accept.class::isInstance)).as("nothing launched again").hasSize(1);
    }
  }

  @Test
  @Timeout(240)
  void shouldAnswerACommandDeliveredAgainAfterARestartAsTheFirstTimeAndDoNothingAgain(
      @BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      String taskId;
      try (AppsFramework first = framework(bus)) {
        assertThat(send(bus, "/api", "deploy-2", deploy("/api", 2)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-2", "a1"));
        TestBus.await("2 tasks launched", () -> first.instances().size() == 2);
        taskId = first.instances().get(0).taskId();
        bus.publish(Topics.TASK_STATUS, "a1", running(taskId));
        TestBus.await("the task running", () -> first.instances().stream()
            .anyMatch(i -> i.taskId().equals(taskId) && i.state().isLive() && i.healthy()));
        assertThat(send(bus, "/api", "kill-2", new KillInstance(taskId, true)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        assertThat(first.apps().get("/api").instances()).isEqualTo(1);
      }
      try (AppsFramework second = framework(bus)) {
        // The command log delivers both commands again (as after a crash before the group committed).
        CommandResult deploy = send(bus, "/api", "deploy-2", deploy("/api", 2));
        CommandResult kill = send(bus, "/api", "kill-2", new KillInstance(taskId, true));

        assertThat(deploy.getStatus()).as(String.valueOf(deploy.getReason())).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(deploy.getDeploymentId()).isEqualTo("deploy-2");
        assertThat(kill.getStatus()).as(String.valueOf(kill.getReason())).isEqualTo(CommandStatus.ACCEPTED);
        assertThat(second.apps().get("/api").instances()).as("scaled down once").isEqualTo(1);
      }
    }
  }

  @Test
  @Timeout(180)
  void shouldStopTheFirstInstanceOnceASecondStartsAndLetOnlyTheSecondAnswer(@BootstrapServers String bootstrap)
      throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AppsFramework first = framework(bus);
        AppsFramework second = framework(bus)) {
      String reason = first.replaced().get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(reason).contains("epoch 2");
      assertThat(second.replaced()).isNotDone();

      send(bus, "/db", "deploy-3", deploy("/db", 1));
      Thread.sleep(1000);
      assertThat(bus.readCommitted(Topics.COMMAND_RESULTS, 1)).filteredOn(r -> r.key().equals("deploy-3"))
          .as("answered once, by the instance that took over").hasSize(1);
      assertThat(second.apps()).containsKey("/db");
      assertThat(first.apps()).doesNotContainKey("/db");
    }
  }

  /**
   * Two instances overlap: the second has read {@code kos.apps} but not yet registered, and the first, which
   * still owns {@code kos.commands}, takes a command. That command must not be lost: either the first saved it
   * before the second read the state, or the first is stopped without answering and the second takes it.
   */
  @Test
  @Timeout(180)
  void shouldNotLoseACommandTheFirstInstanceTakesAfterTheSecondReadTheState(@BootstrapServers String bootstrap)
      throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AppsFramework first = framework(bus)) {
      assertThat(send(bus, "/one", "deploy-one", deploy("/one", 1)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      try (AppsFramework second = new AppsFramework(bus.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC())
          .takeOverState()) {
        bus.publish(Topics.COMMANDS, "/late", Command.newBuilder().setCommandId("deploy-late").setPrincipal("alice")
            .setTimestamp(Instant.now()).setPayload(deploy("/late", 1)).build());
        TestBus.await("the first instance took the command (answered it or stopped)",
            () -> !results(bus, "deploy-late").isEmpty() || first.replaced().isDone());

        second.register();

        TestBus.await("the instance that took over knows /late", () -> second.apps().containsKey("/late"));
        assertThat(results(bus, "deploy-late")).as("answered once").hasSize(1).first()
            .satisfies(r -> assertThat(r.getStatus()).isEqualTo(CommandStatus.ACCEPTED));
        TestBus.await("/late on kos.apps", () -> bus.readCommitted(Topics.APPS, 0).stream()
            .anyMatch(r -> r.key().equals("/late") && r.value() != null));
      }
    }
  }

  @Test
  @Timeout(240)
  void shouldKillAnInstanceThatServedOnlyItsGraceAfterItLeftTheEndpoints(@BootstrapServers String bootstrap)
      throws Exception {
    Duration grace = Duration.ofSeconds(2);
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AppsFramework framework = new AppsFramework(bus.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC(), grace)
            .start()) {
      assertThat(send(bus, "/lb", "deploy-g1", deploy("/lb", 2)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-g1", "a1"));
      TestBus.await("two tasks launched", () -> framework.instances().size() == 2);
      framework.instances().forEach(i -> bus.publish(Topics.TASK_STATUS, "a1", running(i.taskId())));
      TestBus.await("both serve", () -> framework.instances().stream().allMatch(i -> i.serves()));
      TestBus.await("both in kos.endpoints", () -> endpointCounts(bus).contains(2));

      assertThat(send(bus, "/lb", "scale-g1", ScaleApp.newBuilder().setAppId("/lb").setInstances(1).build())
          .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      List<ConsumerRecord<String, SpecificRecord>> kills = records(bus, Topics.PLACEMENTS, 1).stream()
          .filter(r -> r.value() instanceof PlacementEvent e && e.getPayload() instanceof KillTask).toList();
      assertThat(kills).hasSize(1);
      String killed = ((KillTask) ((PlacementEvent) kills.get(0).value()).getPayload()).getTaskId();
      ConsumerRecord<String, SpecificRecord> left = records(bus, Topics.ENDPOINTS, 1).stream()
          .filter(r -> r.value() != null && ((AppEndpoints) r.value()).getEndpoints().stream()
              .noneMatch(e -> e.getTaskId().equals(killed)))
          .filter(r -> !((AppEndpoints) r.value()).getEndpoints().isEmpty())
          .findFirst().orElseThrow();

      assertThat(kills.get(0).timestamp() - left.timestamp())
          .as("the KillTask of %s comes at least the grace (%s) after the endpoints without it", killed, grace)
          .isGreaterThanOrEqualTo(grace.toMillis());
    }
  }

  @Test
  @Timeout(240)
  void shouldSendAKillThatWaitedForItsGraceWhenRestartedMeanwhile(@BootstrapServers String bootstrap)
      throws Exception {
    Duration longGrace = Duration.ofMinutes(10);
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      String taskId;
      try (AppsFramework first = new AppsFramework(bus.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC(), longGrace)
          .start()) {
        assertThat(send(bus, "/gone", "deploy-g2", deploy("/gone", 1)).getStatus())
            .isEqualTo(CommandStatus.ACCEPTED);
        bus.publish(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, offer("o-g2", "a1"));
        TestBus.await("the task launched", () -> first.instances().size() == 1);
        taskId = first.instances().get(0).taskId();
        bus.publish(Topics.TASK_STATUS, "a1", running(taskId));
        // As the allocator would: kos.tasks knows the task runs, so the restarted framework's reconciliation finds
        // it RUNNING (not LOST, which would end it without a kill).
        bus.publish(Topics.TASKS, taskId, running(taskId));
        TestBus.await("it serves", () -> first.instances().get(0).serves());
        assertThat(send(bus, "/gone", "scale-g2", ScaleApp.newBuilder().setAppId("/gone").setInstances(0).build())
            .getStatus()).isEqualTo(CommandStatus.ACCEPTED);
        TestBus.await("it is being killed", () -> first.instances().get(0).state().name().equals("KILLING"));
      }
      assertThat(kills(bus)).as("no kill before the grace").isEmpty();
      try (AppsFramework second = new AppsFramework(bus.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC(), longGrace)
          .start()) {
        TestBus.await("the kill sent after the restart", () -> kills(bus).contains(taskId));
      }
    }
  }

  private static List<String> kills(TestBus bus) {
    return records(bus, Topics.PLACEMENTS, 0).stream()
        .filter(r -> r.value() instanceof PlacementEvent e && e.getPayload() instanceof KillTask)
        .map(r -> ((KillTask) ((PlacementEvent) r.value()).getPayload()).getTaskId()).toList();
  }

  private static List<Integer> endpointCounts(TestBus bus) {
    return records(bus, Topics.ENDPOINTS, 0).stream().filter(r -> r.value() != null)
        .map(r -> ((AppEndpoints) r.value()).getEndpoints().size()).toList();
  }

  private static AppsFramework framework(TestBus bus) {
    return new AppsFramework(bus.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC()).start();
  }

  private static DeployApp deploy(String appId, int instances) {
    return DeployApp.newBuilder().setApp(AppSpec.newBuilder().setId(appId).setCmd("sleep 60")
        .setInstances(instances).setCpus(0.1).setMem(32).build()).build();
  }

  private static OfferEvent offer(String offerId, String agentId) {
    Instant now = Instant.now();
    return OfferEvent.newBuilder().setPayload(Offer.newBuilder().setOfferId(offerId)
        .setFrameworkId(AppsFramework.FRAMEWORK_ID).setAgentId(agentId).setHostname(agentId)
        .setResources(Resources.newBuilder().setCpus(8).setMem(8192).setDisk(1000)
            .setPorts(List.of(new PortRange(31000, 31099))).build())
        .setCreatedAt(now).setExpiresAt(now.plusSeconds(60)).build()).build();
  }

  private static TaskStatus running(String taskId) {
    return TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(AppsFramework.FRAMEWORK_ID).setAgentId("a1")
        .setState(TaskState.RUNNING).setTimestamp(Instant.now()).build();
  }

  /** Publishes a command and waits for its newest answer. */
  private static CommandResult send(TestBus bus, String target, String commandId, Object payload) {
    int before = (int) results(bus, commandId).size();
    bus.publish(Topics.COMMANDS, target, Command.newBuilder().setCommandId(commandId).setPrincipal("alice")
        .setTimestamp(Instant.now()).setPayload(payload).build());
    TestBus.await("an answer to " + commandId, () -> results(bus, commandId).size() > before);
    List<CommandResult> answers = results(bus, commandId);
    return answers.get(answers.size() - 1);
  }

  private static List<CommandResult> results(TestBus bus, String commandId) {
    return records(bus, Topics.COMMAND_RESULTS, 0).stream().filter(r -> commandId.equals(r.key()))
        .map(r -> (CommandResult) r.value()).toList();
  }

  /** Every record of a topic so far, with its timestamp; waits until there are at least {@code atLeast}. */
  private static List<ConsumerRecord<String, SpecificRecord>> records(TestBus bus, TopicDef<?> topic, int atLeast) {
    String name = bus.bus().topic(topic);
    Properties props = bus.bus().consumerProperties(null, "reader-" + UUID.randomUUID());
    List<ConsumerRecord<String, SpecificRecord>> records = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
          .map(p -> new TopicPartition(name, p.partition())).toList();
      consumer.assign(partitions);
      while (true) {
        records.clear();
        consumer.seekToBeginning(partitions);
        var end = consumer.endOffsets(partitions);
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
          for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            SpecificRecord value = r.value() == null ? null : bus.bus().serde(topic).deserialize(name, r.value());
            records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                0, 0, r.key(), value, r.headers(), r.leaderEpoch()));
          }
        }
        if (records.size() >= atLeast || System.nanoTime() > deadline) {
          return records;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return records;
        }
      }
    }
  }
}
