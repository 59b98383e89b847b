package dev.kos.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.LogLine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The example framework on a real kos: broker, allocator and one agent running real processes. */
@ExtendWith(KafkaBrokerExtension.class)
class HelloFrameworkIT {

  @TempDir
  Path dir;

  @Test
  void shouldRunItsTasksToTheEnd(@BootstrapServers String bootstrap) throws Exception {
    HelloFramework framework = new HelloFramework("echo hello from kos", 3);
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent agent = BusAgent.start(new AgentSettings("a1", "a1", ResourceFlag.parseExact("cpus:1;mem:512"),
            Map.of(), Map.of(), dir.resolve("a1"), bus.bus().settings(), Duration.ofSeconds(1),
            Duration.ofSeconds(10), 1000), Clock.systemUTC());
        BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("hello", "*"), framework,
            Clock.systemUTC()).start()) {

      assertThat(framework.finished().await(60, TimeUnit.SECONDS)).as("3 tasks finished").isTrue();
      TestBus.await("the tasks' output on kos.logs", () -> bus.readCommitted(Topics.LOGS, 3).stream()
          .map(TestBus.Keyed::value).map(LogLine::getLine).filter("hello from kos"::equals).count() == 3);
    }
  }
}
