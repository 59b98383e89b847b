package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.DeadLetters;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.Decline;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record whose meaning is bad, on any of the allocator's inputs, becomes exactly one dead letter with a
 * reason, and the records after it (a canary launch and a canary status) are handled as usual: no poison record
 * may fail the stream thread, whose exactly-once transaction would then replay it for ever.
 */
class PoisonRecordTopologyTest {

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;
  private Offer offer;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(50));
    offer = allocator.offers().get(0);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  static Stream<Arguments> poison() {
    return Stream.of(
        Arguments.of("a null accept", Topics.ACCEPTS, "a1", null),
        Arguments.of("a null task status", Topics.TASK_STATUS, "a1", null),
        Arguments.of("an agent tombstone without a key", Topics.AGENTS, null, null),
        Arguments.of("a decline refusing for ever", Topics.ACCEPTS, "a1", AcceptEvent.newBuilder().setPayload(
            Decline.newBuilder().setOfferIds(List.of("o-x")).setFrameworkId("web").setAgentId("a1")
                .setRefuseSeconds(Double.POSITIVE_INFINITY).setTimestamp(AllocatorDriver.START).build()).build()),
        Arguments.of("a decline refusing for NaN seconds", Topics.ACCEPTS, "a1", AcceptEvent.newBuilder()
            .setPayload(Decline.newBuilder().setOfferIds(List.of("o-x")).setFrameworkId("web").setAgentId("a1")
                .setRefuseSeconds(Double.NaN).setTimestamp(AllocatorDriver.START).build()).build()),
        Arguments.of("a reservation naming no offer", Topics.ACCEPTS, "a1", accept(List.of(),
            ReserveOperation.newBuilder().setRole("web").setResources(AllocatorDriver.resources(1, 512)).build())),
        Arguments.of("a reservation of negative resources", Topics.ACCEPTS, "a1", accept(List.of("o-x"),
            ReserveOperation.newBuilder().setRole("web").setResources(AllocatorDriver.resources(-1, 512)).build())),
        Arguments.of("a launch of negative resources", Topics.ACCEPTS, "a1", accept(List.of("o-x"),
            LaunchOperation.newBuilder().setTasks(List.of(AllocatorDriver.task("t-bad", "web", -1, 512))).build())),
        Arguments.of("a launch of a task without an id", Topics.ACCEPTS, "a1", accept(List.of("o-x"),
            LaunchOperation.newBuilder().setTasks(List.of(AllocatorDriver.task("", "web", 1, 512))).build())),
        Arguments.of("an accept by no framework", Topics.ACCEPTS, "a1", AcceptEvent.newBuilder().setPayload(
            Accept.newBuilder().setOfferIds(List.of("o-x")).setFrameworkId("").setAgentId("a1")
                .setOperations(List.of()).setTimestamp(AllocatorDriver.START).build()).build()),
        Arguments.of("a status without a task id", Topics.TASK_STATUS, "a1", TaskStatus.newBuilder().setTaskId("")
            .setFrameworkId("web").setAgentId("a1").setState(TaskState.RUNNING).setTimestamp(AllocatorDriver.START)
            .build()),
        Arguments.of("a status without an agent id", Topics.TASK_STATUS, "a1", TaskStatus.newBuilder().setTaskId("t9")
            .setFrameworkId("web").setAgentId("").setState(TaskState.FINISHED).setTimestamp(AllocatorDriver.START)
            .build()),
        Arguments.of("a null command", Topics.COMMANDS, "a1", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("poison")
  <V extends SpecificRecord> void shouldDeadLetterOnceWithAReasonAndGoOn(String name, TopicDef<V> topic, String key,
      V value) {
    allocator.publish(topic, key, value);

    allocator.launch(offer, "canary", 1, 1024);
    allocator.status("a1", "web", "canary-status", TaskState.RUNNING);

    assertThat(allocator.read(Topics.DEAD_LETTERS)).as(name).singleElement().satisfies(letter -> {
      assertThat(letter.value().getTopic()).isEqualTo("kos." + topic.suffix());
      assertThat(letter.value().getReason()).isNotBlank();
      assertThat(letter.value().getConsumer()).isEqualTo("allocator");
    });
    assertThat(allocator.read(Topics.PLACEMENTS)).as("the canary launch").singleElement();
    assertThat(allocator.read(Topics.TASKS)).extracting(Keyed::key).as("the canary status").contains("canary-status");
  }

  @Test
  void shouldKeepADeadLetterOfARecordNearTheSizeLimitUnderTheLimit() {
    byte[] huge = new byte[1024 * 1024];
    java.util.Arrays.fill(huge, (byte) 'x');

    allocator.publishRaw(Topics.ACCEPTS, "a1", huge);
    allocator.launch(offer, "canary", 1, 1024);

    assertThat(allocator.read(Topics.DEAD_LETTERS)).singleElement().satisfies(letter -> {
      assertThat(letter.value().getValue().remaining()).isLessThanOrEqualTo(DeadLetters.MAX_VALUE_BYTES);
      assertThat(letter.value().getReason()).contains("truncated").contains("1048576 bytes");
    });
    assertThat(allocator.read(Topics.PLACEMENTS)).as("the canary launch").singleElement();
  }

  private static AcceptEvent accept(List<String> offerIds, Object operation) {
    return AcceptEvent.newBuilder().setPayload(Accept.newBuilder().setOfferIds(offerIds).setFrameworkId("web")
        .setAgentId("a1").setOperations(List.of(operation)).setTimestamp(AllocatorDriver.START).build()).build();
  }
}
