package dev.kos.bus.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.bus.metrics.MetricsSettings;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.PrometheusPage;
import dev.kos.bus.testing.TestBus;
import dev.kos.model.OfferView;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.JobState;
import dev.kos.schema.ScaleApp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The framework runtime's promises on a real broker: a command whose answer was committed is never carried out
 * again, even if the process dies before its consumer commits; and of two instances only the newer acts.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(180)
class FrameworkRuntimeIT {

  private static final String FRAMEWORK = "runtime-test";
  private static final String GROUP = "kos-runtime-test";

  private TestBus testBus;
  private ControlBus bus;

  @BeforeEach
  void startBus(@BootstrapServers String bootstrap) {
    testBus = TestBus.start(bootstrap, 1);
    bus = testBus.bus();
  }

  @AfterEach
  void stopBus() {
    testBus.close();
  }

  @Test
  void shouldNotCarryOutACommandAgainWhoseAnswerWasCommittedBeforeTheProcessDied() throws Exception {
    // Both in the log before the first instance polls, so they come in one batch: the loop commits a batch's
    // offsets only after its last record, which here kills the loop. Only the answer's transaction commits the
    // first command's offset.
    testBus.publish(Topics.COMMANDS, "/web", command("first"));
    testBus.publish(Topics.COMMANDS, "/web", command("dies-on"));
    AtomicReference<Throwable> died = new AtomicReference<>();
    RecordingFramework crashing = new RecordingFramework("older", "dies-on");
    FrameworkRuntime<JobState> first = runtime(new LoopSupervisor((loop, cause) -> died.set(cause)))
        .start(crashing);
    TestBus.await("the first instance's command loop died", () -> died.get() != null);
    assertThat(crashing.commands).containsExactly("first", "dies-on");

    RecordingFramework takingOver = new RecordingFramework("newer", "");
    try (FrameworkRuntime<JobState> second = runtime(LoopSupervisor.forProcess()).start(takingOver)) {
      TestBus.await("the second instance takes the command the first died on",
          () -> takingOver.commands.contains("dies-on"));
      assertThat(takingOver.commands).as("the answered command is not delivered again").containsExactly("dies-on");
      List<TestBus.Keyed<CommandResult>> results = testBus.readCommitted(Topics.COMMAND_RESULTS, 2);
      assertThat(results).extracting(TestBus.Keyed::key).containsExactly("first", "dies-on");
    } finally {
      first.close();
    }
  }

  @Test
  void shouldStopTheEarlierInstanceOnceANewerOneTakesOver() throws Exception {
    RecordingFramework older = new RecordingFramework("older", "");
    RecordingFramework newer = new RecordingFramework("newer", "");
    try (FrameworkRuntime<JobState> first = runtime(LoopSupervisor.forProcess()).start(older)) {
      testBus.publish(Topics.COMMANDS, "/web", command("before"));
      assertThat(testBus.readCommitted(Topics.COMMAND_RESULTS, 1)).extracting(r -> r.value().getHandledBy())
          .as("the first instance answered").containsExactly("older");
      try (FrameworkRuntime<JobState> second = runtime(LoopSupervisor.forProcess()).start(newer)) {
        String reason = first.replaced().get(TestBus.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(reason).contains(FRAMEWORK);
        assertThat(second.isReplaced()).isFalse();
        testBus.publish(Topics.COMMANDS, "/web", command("after"));
        TestBus.await("the newer instance answers", () -> newer.commands.contains("after"));
        assertThat(older.commands).as("the replaced instance takes no more commands").containsExactly("before");
        List<TestBus.Keyed<CommandResult>> results = testBus.readCommitted(Topics.COMMAND_RESULTS, 2);
        assertThat(results).extracting(r -> r.value().getHandledBy()).containsExactly("older", "newer");

        // The process's /metrics over real HTTP, as a framework's process serves it: both answers are counted (the
        // other case of this class may have answered more), the command loop's lag is there.
        try (MetricsServer server = MetricsServer.start(new MetricsSettings("127.0.0.1", 0),
            ProcessMetrics.registry()).orElseThrow()) {
          PrometheusPage page = PrometheusPage.scrape(server.url());
          assertThat(page.value("kos_commands_answered_total", "answerer", FRAMEWORK, "outcome", "ACCEPTED"))
              .isGreaterThanOrEqualTo(2.0);
          assertThat(page.has("kos_consumer_lag", "group", GROUP, "client", "framework-" + FRAMEWORK + "-commands"))
              .isTrue();
        }
      }
    }
  }

  private FrameworkRuntime<JobState> runtime(LoopSupervisor supervisor) {
    return new FrameworkRuntime<>(bus, FrameworkSettings.of(FRAMEWORK, "*"), GROUP, Topics.JOBS,
        Clock.systemUTC(), supervisor);
  }

  private static Command command(String id) {
    return Command.newBuilder().setCommandId(id).setPrincipal("alice").setRole("web").setTimestamp(Instant.now())
        .setPayload(ScaleApp.newBuilder().setAppId("/web").setInstances(1).build()).build();
  }

  /** Answers every command, naming itself; dies (an Error, as an out-of-memory would) on one command id. */
  private static final class RecordingFramework implements FrameworkRuntime.Framework<JobState> {

    private final String name;
    private final String diesOn;
    final List<String> commands = new CopyOnWriteArrayList<>();

    RecordingFramework(String name, String diesOn) {
      this.name = name;
      this.diesOn = diesOn;
    }

    @Override
    public void restore(Map<String, JobState> state) {
    }

    @Override
    public void registered(SchedulerDriver driver) {
    }

    @Override
    public void offers(List<OfferView> offers) {
      offers.forEach(offer -> {
        throw new AssertionError("no allocator runs here, so no offer comes: " + offer);
      });
    }

    @Override
    public void statusUpdate(TaskStatusUpdate status) {
    }

    @Override
    public Optional<CommandResult> command(Command command, Instant now) {
      commands.add(command.getCommandId());
      if (command.getCommandId().equals(diesOn)) {
        throw new OutOfMemoryError("the process dies with the command in hand");
      }
      return Optional.of(CommandResult.newBuilder().setCommandId(command.getCommandId())
          .setStatus(CommandStatus.ACCEPTED).setHandledBy(name).setTimestamp(now).build());
    }

    @Override
    public Map<String, JobState> stateChanges() {
      return Map.of();
    }

    @Override
    public void stateCommitted(Map<String, JobState> changes) {
    }
  }
}
