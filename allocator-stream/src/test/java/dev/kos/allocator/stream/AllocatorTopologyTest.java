package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.OfferRescinded;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllocatorTopologyTest {

  private static final Duration ROUND = Duration.ofMillis(50);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldOfferAnAgentsResourcesToARegisteredFrameworkKeyedByTheFramework() {
    allocator.advance(ROUND);

    List<Keyed<OfferEvent>> events = allocator.read(Topics.OFFERS);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.key()).isEqualTo("web");
      Offer offer = (Offer) e.value().getPayload();
      assertThat(offer.getAgentId()).isEqualTo("a1");
      assertThat(offer.getResources().getCpus()).isEqualTo(4.0);
      assertThat(offer.getResources().getMem()).isEqualTo(8192.0);
    });
  }

  @Test
  void shouldStoreAnAgentsReportOnlyWhenWhatItOffersChanged() {
    byte[] registered = allocator.stored(AllocatorTopology.AGENTS_STORE, "a1");
    allocator.advance(Duration.ofSeconds(5));

    allocator.agent("a1", 4, 8192);

    assertThat(allocator.stored(AllocatorTopology.AGENTS_STORE, "a1"))
        .as("a heartbeat (the same agent, a later time) writes nothing to the store or its changelog")
        .isEqualTo(registered);
    allocator.agent("a1", 8, 8192);
    assertThat(allocator.stored(AllocatorTopology.AGENTS_STORE, "a1")).as("a changed report is stored")
        .isEqualTo(allocator.agentReportBytes("a1", 8, 8192));
  }

  @Test
  void shouldTurnAnAcceptOfAnOutstandingOfferIntoALaunchOnTheAgentsKey() {
    allocator.advance(ROUND);
    Offer offer = allocator.offers().get(0);

    allocator.launch(offer, "t1", 1, 1024);

    List<Keyed<PlacementEvent>> placements = allocator.read(Topics.PLACEMENTS);
    assertThat(placements).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("a1");
      LaunchTask launch = (LaunchTask) p.value().getPayload();
      assertThat(launch.getTask().getTaskId()).isEqualTo("t1");
      assertThat(launch.getOfferId()).isEqualTo(offer.getOfferId());
    });
  }

  @Test
  void shouldOfferWhatTheLaunchLeftInTheNextRound() {
    allocator.advance(ROUND);
    allocator.launch(allocator.offers().get(0), "t1", 1, 1024);

    allocator.advance(ROUND);

    assertThat(allocator.offers()).singleElement().satisfies(o -> {
      assertThat(o.getResources().getCpus()).isEqualTo(3.0);
      assertThat(o.getResources().getMem()).isEqualTo(7168.0);
    });
  }

  @Test
  void shouldDropTasksOfAnAcceptForAnUnknownOfferWithTheReason() {
    allocator.advance(ROUND);
    Offer offer = allocator.offers().get(0);
    allocator.launch(offer, "t1", 1, 1024);

    allocator.launch(offer, "t2", 1, 1024);

    assertThat(allocator.read(Topics.PLACEMENTS)).hasSize(1);
    assertThat(dropped()).singleElement().satisfies(s -> {
      assertThat(s.getTaskId()).isEqualTo("t2");
      assertThat(s.getMessage()).contains(offer.getOfferId());
    });
  }

  @Test
  void shouldKeepARunningTaskWhenAnotherAcceptRepeatsItsId() {
    allocator.advance(ROUND);
    allocator.launch(allocator.offers().get(0), "t1", 1, 1024);
    allocator.advance(ROUND);

    allocator.launch(allocator.offers().get(0), "t1", 1, 1024);
    allocator.advance(ROUND);

    assertThat(dropped()).singleElement()
        .satisfies(s -> assertThat(s.getMessage()).contains("t1 is already running"));
    assertThat(allocator.offers()).as("the running t1 still holds its cpu").singleElement()
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));
    assertThat(allocator.read(Topics.TASKS)).as("the tasks view keeps t1 as it runs")
        .noneMatch(k -> k.value().getState() == TaskState.DROPPED);
  }

  @Test
  void shouldDropTasksAskingForMoreThanWasOffered() {
    allocator.advance(ROUND);

    allocator.launch(allocator.offers().get(0), "big", 64, 1024);

    assertThat(allocator.read(Topics.PLACEMENTS)).isEmpty();
    assertThat(dropped()).singleElement().satisfies(s -> assertThat(s.getTaskId()).isEqualTo("big"));
  }

  @Test
  void shouldNotOfferADeclinedAgentToTheFrameworkUntilTheRefusalEnds() {
    allocator.advance(ROUND);
    allocator.decline(allocator.offers().get(0), 2.0);

    allocator.advance(Duration.ofMillis(1500));
    assertThat(allocator.offers()).isEmpty();

    allocator.advance(Duration.ofMillis(1000));
    assertThat(allocator.offers()).hasSize(1);
  }

  @Test
  void shouldFreeTheResourcesOfATaskThatEnded() {
    allocator.advance(ROUND);
    allocator.launch(allocator.offers().get(0), "t1", 4, 8192);
    allocator.advance(ROUND);
    assertThat(allocator.offers()).as("the agent is full").isEmpty();

    allocator.status("a1", "web", "t1", TaskState.FINISHED);
    allocator.advance(ROUND);

    assertThat(allocator.offers()).singleElement()
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  @Test
  void shouldKeepTheLatestStatusOfEachTaskInTheTasksView() {
    allocator.status("a1", "web", "t1", TaskState.RUNNING);
    allocator.status("a1", "web", "t1", TaskState.FINISHED);

    assertThat(allocator.read(Topics.TASKS)).extracting(Keyed::key, k -> k.value().getState())
        .containsExactly(tuple("t1", TaskState.RUNNING), tuple("t1", TaskState.FINISHED));
  }

  @Test
  void shouldRescindAnOfferThatWasNotAnsweredInTime() {
    allocator.advance(ROUND);
    Offer offer = allocator.offers().get(0);

    for (long s = 0; s <= AllocatorDriver.SETTINGS.offerTimeout().toSeconds(); s++) {
      allocator.agent("a1", 4, 8192);
      allocator.advance(Duration.ofSeconds(1));
    }

    List<OfferRescinded> rescinds = allocator.rescinds(allocator.read(Topics.OFFERS));
    assertThat(rescinds).extracting(OfferRescinded::getOfferId).contains(offer.getOfferId());
    assertThat(rescinds.get(0).getReason()).contains("expired");
  }

  @Test
  void shouldMarkASilentAgentLostWithItsTasksAndItsOffers() {
    allocator.agent("a2", 2, 2048);
    allocator.advance(ROUND);
    Offer onA1 = allocator.offers().stream().filter(o -> o.getAgentId().equals("a1")).findFirst().orElseThrow();
    allocator.launch(onA1, "t1", 1, 1024);
    allocator.advance(ROUND);
    allocator.read(Topics.OFFERS);

    for (int i = 0; i < 25; i++) {
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
    }

    List<Keyed<TaskStatus>> lost = allocator.read(Topics.TASK_STATUS).stream()
        .filter(s -> s.value().getState() == TaskState.LOST).toList();
    assertThat(lost).singleElement().satisfies(s -> {
      assertThat(s.key()).isEqualTo("a1");
      assertThat(s.value().getTaskId()).isEqualTo("t1");
      assertThat(s.value().getMessage()).contains("no heartbeat");
    });
    assertThat(allocator.offers()).as("no more offers of the lost agent").noneMatch(o -> o.getAgentId().equals("a1"));
  }

  @Test
  void shouldDeadLetterAnUndecodableAcceptAndGoOn() {
    allocator.advance(ROUND);
    Offer offer = allocator.offers().get(0);

    allocator.publishRaw(Topics.ACCEPTS, "a1", "garbage".getBytes());
    allocator.launch(offer, "t1", 1, 1024);

    assertThat(allocator.read(Topics.DEAD_LETTERS)).singleElement().satisfies(d -> {
      DeadLetter letter = d.value();
      assertThat(letter.getTopic()).isEqualTo("kos.accepts");
      assertThat(letter.getReason()).startsWith("undecodable:");
      assertThat(letter.getConsumer()).isEqualTo("allocator");
    });
    assertThat(allocator.read(Topics.PLACEMENTS)).hasSize(1);
  }

  @Test
  void shouldNotLetAFrameworkReserveOnAnotherFrameworksOffer() {
    allocator.advance(ROUND);
    Offer offer = allocator.offers().get(0);

    allocator.publish(Topics.ACCEPTS, "a1", AcceptEvent.newBuilder().setPayload(Accept.newBuilder()
        .setOfferIds(List.of(offer.getOfferId())).setFrameworkId("intruder").setAgentId("a1")
        .setOperations(List.of(ReserveOperation.newBuilder().setRole("intruder")
            .setResources(AllocatorDriver.resources(4, 8192)).build()))
        .setTimestamp(allocator.now()).build()).build());
    allocator.launch(offer, "t1", 4, 8192);

    assertThat(allocator.read(Topics.PLACEMENTS)).as("web's offer still stands, whole").hasSize(1);
  }

  @Test
  void shouldGiveNothingToASuppressedFramework() {
    allocator.publish(Topics.FRAMEWORKS, "web", FrameworkInfo.newBuilder().setFrameworkId("web")
        .setName("web").setRole("web").setSuppressed(true).setRegisteredAt(AllocatorDriver.START).build());

    allocator.advance(Duration.ofSeconds(1));

    assertThat(allocator.offers()).isEmpty();
  }

  private List<TaskStatus> dropped() {
    return allocator.read(Topics.TASK_STATUS).stream().map(Keyed::value)
        .filter(s -> s.getState() == TaskState.DROPPED).toList();
  }
}
