package dev.kos.bus.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.CompactedTopics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Accept;
import dev.kos.schema.Decline;
import dev.kos.schema.KillTask;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The SDK's driver against the real bus, with the allocator's side played by the test. */
@ExtendWith(KafkaBrokerExtension.class)
class BusSchedulerDriverIT {

  private TestBus allocator;
  private final RecordingScheduler scheduler = new RecordingScheduler();
  private BusSchedulerDriver driver;

  @BeforeEach
  void start(@BootstrapServers String bootstrap) {
    allocator = TestBus.start(bootstrap, 3);
    driver = new BusSchedulerDriver(allocator.bus(), FrameworkSettings.of("fw-1", "web"), scheduler, Clock.systemUTC())
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    driver.close();
    allocator.close();
  }

  @Test
  void shouldRegisterReceiveItsOffersAndAnswerThemKeyedByAgent() throws Exception {
    assertThat(allocator.readCommitted(Topics.FRAMEWORKS, 1)).isNotEmpty()
        .allSatisfy(r -> assertThat(r.value().getRole()).isEqualTo("web"));

    allocator.publish(Topics.OFFERS, "fw-2", offerEvent("o-other", "fw-2", "a1"));
    allocator.publish(Topics.OFFERS, "fw-1", offerEvent("o-1", "fw-1", "a1"));
    allocator.publish(Topics.OFFERS, "fw-1", offerEvent("o-2", "fw-1", "a2"));
    TestBus.await("two offers", () -> scheduler.offers.size() == 2);
    assertThat(scheduler.offers).extracting(OfferView::offerId).as("only this framework's offers").containsExactly("o-1", "o-2");

    driver.launch(scheduler.offers.get(0), List.of(task("t-1")));
    driver.decline("o-2", Duration.ofSeconds(30));

    // The two answers are keyed by different agents, so they may come back in either order.
    List<Object> answers = allocator.readCommitted(Topics.ACCEPTS, 2).stream().map(r -> r.value().getPayload()).toList();
    Accept accept = answers.stream().filter(Accept.class::isInstance).map(Accept.class::cast).findFirst().orElseThrow();
    assertThat(accept.getAgentId()).isEqualTo("a1");
    assertThat(accept.getOfferIds()).containsExactly("o-1");
    assertThat(((LaunchOperation) accept.getOperations().get(0)).getTasks()).extracting(TaskInfo::getTaskId)
        .containsExactly("t-1");
    Decline decline = answers.stream().filter(Decline.class::isInstance).map(Decline.class::cast).findFirst().orElseThrow();
    assertThat(decline.getAgentId()).isEqualTo("a2");
    assertThat(decline.getRefuseSeconds()).isEqualTo(30.0);
  }

  @Test
  @Timeout(120)
  void shouldRegisterSuppressedFromTheStartWhenAsked() throws Exception {
    try (BusSchedulerDriver quiet = new BusSchedulerDriver(allocator.bus(), FrameworkSettings.of("fw-quiet", "web"),
        new RecordingScheduler(), Clock.systemUTC()).startSuppressed().start()) {
      List<FrameworkInfo> registrations = allocator.readCommitted(Topics.FRAMEWORKS, 2).stream()
          .filter(r -> "fw-quiet".equals(r.key())).map(r -> r.value()).toList();

      assertThat(registrations).as("its registrations").isNotEmpty()
          .allSatisfy(r -> assertThat(r.getSuppressed()).as("suppressed from the first").isTrue());
      quiet.revive();
      TestBus.await("a revived registration", () -> allocator.readCommitted(Topics.FRAMEWORKS, 2).stream()
          .anyMatch(r -> "fw-quiet".equals(r.key()) && !r.value().getSuppressed()));
    }
  }

  @Test
  @Timeout(120)
  void shouldRemoveItsRegistrationWhenTornDownAndSendNothingAfter() throws Exception {
    FrameworkSettings settings = FrameworkSettings.of("fw-done", "web");
    try (BusSchedulerDriver done = new BusSchedulerDriver(allocator.bus(), settings, new RecordingScheduler(),
        Clock.systemUTC()).start()) {
      TestBus.await("a registration", () -> registered("fw-done"));

      done.teardown();
      done.revive();

      assertThat(registered("fw-done")).as("the registration, once torn down").isFalse();
      Thread.sleep(settings.heartbeatInterval().multipliedBy(2).toMillis());
      assertThat(registered("fw-done")).as("no heartbeat or revive registers it again").isFalse();
    }
  }

  private boolean registered(String frameworkId) {
    return CompactedTopics.readToEnd(allocator.bus(), Topics.FRAMEWORKS, frameworkId::equals).containsKey(frameworkId);
  }

  @Test
  void shouldHeartbeatWithItsUnchangedRegistration() {
    List<FrameworkInfo> records = allocator.readCommitted(Topics.FRAMEWORKS, 2).stream().map(r -> r.value()).toList();

    assertThat(records).hasSizeGreaterThanOrEqualTo(2);
    assertThat(records).extracting(FrameworkInfo::getRegisteredAt).as("one registration").containsOnly(
        records.get(0).getRegisteredAt());
    assertThat(records.get(records.size() - 1).getHeartbeatAt()).isAfter(records.get(0).getHeartbeatAt());
  }

  @Test
  void shouldDeliverOnlyItsOwnTasksStatusesAndKillThroughTheAgentsKey() throws Exception {
    allocator.publish(Topics.TASK_STATUS, "a1", status("t-9", "fw-2"));
    allocator.publish(Topics.TASK_STATUS, "a1", status("t-1", "fw-1"));
    TestBus.await("a status", () -> !scheduler.statuses.isEmpty());
    Thread.sleep(500);
    assertThat(scheduler.statuses).extracting(TaskStatusUpdate::taskId).containsExactly("t-1");

    driver.killTask("a1", "t-1");

    KillTask kill = (KillTask) allocator.readCommitted(Topics.PLACEMENTS, 1).get(0).value().getPayload();
    assertThat(kill.getTaskId()).isEqualTo("t-1");
    assertThat(kill.getFrameworkId()).isEqualTo("fw-1");
  }

  @Test
  void shouldStopHeartbeatingAndSayWhyWhenItsLoopDies() throws Exception {
    RecordingScheduler dying = new RecordingScheduler() {
      @Override
      public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
        throw new StackOverflowError("a scheduler bug deep in its status handling");
      }
    };
    try (BusSchedulerDriver deaf = new BusSchedulerDriver(allocator.bus(),
        FrameworkSettings.of("fw-deaf", "web").withFailoverTimeout(Duration.ofMillis(600)), dying,
        Clock.systemUTC()).start()) {
      allocator.publish(Topics.TASK_STATUS, "a1", status("t-1", "fw-deaf"));
      TestBus.await("the scheduler told its loop died", () -> !dying.errors.isEmpty());
      assertThat(dying.errors.get(0)).contains("died").contains("StackOverflowError").contains("restart it");

      int heard = heartbeatsOf("fw-deaf");
      Thread.sleep(1_000);
      assertThat(heartbeatsOf("fw-deaf")).as("no heartbeat after the loop died").isEqualTo(heard);
    }
  }

  private int heartbeatsOf(String frameworkId) {
    return (int) allocator.readCommitted(Topics.FRAMEWORKS, 1).stream()
        .filter(r -> r.value().getFrameworkId().equals(frameworkId)).count();
  }

  @Test
  void shouldReconcileFromTheTasksViewAndReportUnknownTasksAsLost() throws Exception {
    allocator.publish(Topics.TASKS, "t-1", status("t-1", "fw-1"));

    driver.reconcile(List.of("t-1", "t-unknown"));

    assertThat(scheduler.statuses).extracting(TaskStatusUpdate::taskId, TaskStatusUpdate::state)
        .containsExactly(tuple("t-1", dev.kos.model.TaskState.RUNNING), tuple("t-unknown", dev.kos.model.TaskState.LOST));
    assertThat(scheduler.statuses.get(1).message()).get().asString().contains("kos knows no task t-unknown");
  }

  @Test
  @Timeout(120)
  void shouldDeliverAStatusPublishedWhileItReconciledAtRegistration(@BootstrapServers String bootstrap)
      throws Exception {
    // A scheduler that reconciles at registration, as the apps framework does; the status of its task
    // lands on kos.task-status right after the driver read kos.tasks, before its loop has started.
    RecordingScheduler restarted = new RecordingScheduler() {
      @Override
      public void registered(SchedulerDriver driver) {
        driver.reconcile(List.of("t-5"));
        allocator.publish(Topics.TASK_STATUS, "a1", status("t-5", "fw-gap"));
      }
    };
    try (BusSchedulerDriver gap = new BusSchedulerDriver(allocator.bus(), FrameworkSettings.of("fw-gap", "web"),
        restarted, Clock.systemUTC()).start()) {
      TestBus.await("the status published during reconciliation", () -> restarted.statuses.stream()
          .anyMatch(s -> s.state() == dev.kos.model.TaskState.RUNNING));
    }
    assertThat(restarted.statuses).extracting(TaskStatusUpdate::state)
        .containsExactly(dev.kos.model.TaskState.LOST, dev.kos.model.TaskState.RUNNING);
  }

  @Test
  @Timeout(120)
  void shouldFenceTheFirstInstanceOnceASecondRegistersWithAHigherEpoch() throws Exception {
    RecordingScheduler second = new RecordingScheduler();
    try (BusSchedulerDriver replacement = new BusSchedulerDriver(allocator.bus(), FrameworkSettings.of("fw-1", "web"),
        second, Clock.systemUTC()).start()) {
      TestBus.await("the first instance told it was replaced", () -> !scheduler.errors.isEmpty());
      assertThat(scheduler.errors.get(0)).contains("fw-1").contains("epoch 2").contains("stops acting");
      assertThat(second.errors).isEmpty();

      allocator.publish(Topics.OFFERS, "fw-1", offerEvent("o-9", "fw-1", "a1"));
      TestBus.await("the offer reaches the replacement", () -> !second.offers.isEmpty());
      driver.decline("o-9", Duration.ofSeconds(1));
      replacement.launch(second.offers.get(0), List.of(task("t-2")));

      List<Object> answers = allocator.readCommitted(Topics.ACCEPTS, 1).stream().map(r -> r.value().getPayload())
          .toList();
      assertThat(answers).as("only the replacement answers").singleElement().isInstanceOf(Accept.class);
      assertThat(((Accept) answers.get(0)).getFrameworkEpoch()).isEqualTo(2);
      List<FrameworkInfo> registrations = allocator.readCommitted(Topics.FRAMEWORKS, 2).stream().map(r -> r.value())
          .toList();
      assertThat(registrations).extracting(FrameworkInfo::getEpoch).contains(1L, 2L);
      long fencedAt = registrations.stream().filter(r -> r.getEpoch() == 2).findFirst().orElseThrow()
          .getRegisteredAt().toEpochMilli();
      Thread.sleep(6000); // longer than the heartbeat interval (5 s)
      assertThat(allocator.readCommitted(Topics.FRAMEWORKS, 2)).as("the replaced instance stops heartbeating")
          .map(r -> r.value()).filteredOn(r -> r.getEpoch() == 1)
          .allSatisfy(r -> assertThat(r.getHeartbeatAt().toEpochMilli()).isLessThanOrEqualTo(fencedAt + 1000));
    }
  }

  private static OfferEvent offerEvent(String offerId, String frameworkId, String agentId) {
    Instant now = Instant.now();
    return OfferEvent.newBuilder().setPayload(Offer.newBuilder().setOfferId(offerId).setFrameworkId(frameworkId)
        .setAgentId(agentId).setHostname(agentId).setResources(resources()).setCreatedAt(now)
        .setExpiresAt(now.plusSeconds(30)).build()).build();
  }

  private static TaskSpec task(String taskId) {
    return TaskSpec.of(taskId, taskId, "fw-1", CommandSpec.shell("sleep 1"), dev.kos.model.Resources.of(1, 256));
  }

  private static Resources resources() {
    return Resources.newBuilder().setCpus(1).setMem(256).build();
  }

  private static TaskStatus status(String taskId, String frameworkId) {
    return TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId(frameworkId).setAgentId("a1")
        .setState(TaskState.RUNNING).setTimestamp(Instant.now()).build();
  }

  private static class RecordingScheduler implements Scheduler {
    final List<OfferView> offers = new CopyOnWriteArrayList<>();
    final List<TaskStatusUpdate> statuses = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();

    @Override
    public void error(SchedulerDriver driver, String message) {
      errors.add(message);
    }

    @Override
    public void registered(SchedulerDriver driver) {
    }

    @Override
    public void resourceOffers(SchedulerDriver driver, List<OfferView> newOffers) {
      offers.addAll(newOffers);
    }

    @Override
    public void offerRescinded(SchedulerDriver driver, String offerId, String reason) {
    }

    @Override
    public void statusUpdate(SchedulerDriver driver, TaskStatusUpdate status) {
      statuses.add(status);
    }
  }
}
