package dev.kos.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.KosProcess;
import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
import dev.kos.bus.client.Commands;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.ScaleApp;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `kos framework apps` as a process of its own: it registers on kos.frameworks and answers commands. */
@ExtendWith(KafkaBrokerExtension.class)
class FrameworkAppsCommandIT {

  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void shouldRegisterAndAnswerACommandAsAProcess(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      List<String> args = new ArrayList<>(List.of("framework", "apps"));
      args.addAll(KosProcess.busOptions(bus));
      Process apps = KosProcess.start(dir, "apps", "framework apps running", args);
      try {
        TestBus.await("framework apps registered on kos.frameworks", () -> bus.readCommitted(Topics.FRAMEWORKS, 1)
            .stream().map(TestBus.Keyed::value).map(FrameworkInfo::getFrameworkId).anyMatch("apps"::equals));

        CommandOutcome outcome = CommandSender.send(bus.bus(), Commands.of("tester", "*",
            new ScaleApp("/no/such/app", 2), Clock.systemUTC()), Duration.ofSeconds(30), true, Answerer.APPS_FRAMEWORK);

        assertThat(outcome).as("the framework process's answer; its log:%n%s", KosProcess.output(dir, "apps"))
            .isInstanceOfSatisfying(CommandOutcome.Answered.class, answered -> {
              assertThat(answered.result().getStatus()).isEqualTo(CommandStatus.REJECTED);
              assertThat(answered.result().getReason()).contains("/no/such/app");
            });
      } finally {
        apps.destroy();
        assertThat(apps.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
      }
      assertThat(KosProcess.output(dir, "apps")).contains("framework apps stopped");
    }
  }

  @Test
  @Timeout(120)
  void shouldEndTheFirstInstanceOnceASecondTakesOver(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      List<String> args = new ArrayList<>(List.of("framework", "apps"));
      args.addAll(KosProcess.busOptions(bus));
      Process first = KosProcess.start(dir, "first", "framework apps running", args);
      Process second = null;
      try {
        second = KosProcess.start(dir, "second", "framework apps running", args);

        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("the replaced instance ends; its log:%n%s",
            KosProcess.output(dir, "first")).isTrue();
        assertThat(first.exitValue()).isEqualTo(FrameworkAppsCommand.EXIT_REPLACED);
        assertThat(KosProcess.output(dir, "first")).contains("framework apps stops:");
        assertThat(second.isAlive()).as("the newer instance runs on").isTrue();
      } finally {
        first.destroy();
        if (second != null) {
          second.destroy();
          assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
      }
    }
  }
}
