package dev.kos.systemtests;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.agent.testing.BusyboxImage;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppSpec;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.DeployApp;
import dev.kos.schema.Endpoint;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.UpdateApp;
import dev.kos.schema.UpgradeStrategy;
import dev.kos.schema.Volume;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A container app through the whole stack: `kos app deploy` of an app whose instances run an OCI image (busybox's
 * httpd, packed by the test) under real runc, placed only on an agent that advertises it can run containers,
 * health-checked over HTTP on its kos-allocated port, reached at the host:port kos.endpoints names, and scaled.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300)
class ContainerAppIT {

  @TempDir
  Path dir;

  @Test
  void shouldDeployHealthCheckReachAndScaleAContainerApp(@BootstrapServers String bootstrap) throws Exception {
    String image = busyboxImage();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1");
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start()) {
      CommandSender commands = new CommandSender(bus);

      AppSpec web = AppSpec.newBuilder().setId("/web").setCmd(null).setInstances(2).setCpus(0.1).setMem(32)
          .setPorts(List.of(new PortDefinition("http", 0)))
          .setContainer(ContainerInfo.newBuilder().setImage(image)
              .setEntrypoint(List.of("/bin/sh", "-c", "exec httpd -f -p $PORT0 -h /www")).build())
          .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/")
              .setGracePeriodSeconds(20).setIntervalSeconds(1).setTimeoutSeconds(2).build()))
          .build();
      CommandResult deployed = commands.send("/web", "deploy", DeployApp.newBuilder().setApp(web).build());
      assertThat(deployed.getStatus()).as(String.valueOf(deployed.getReason())).isEqualTo(CommandStatus.ACCEPTED);

      TestBus.await("2 container instances healthy", () -> healthy(framework).size() == 2);
      assertThat(healthy(framework)).extracting(i -> i.agent().agentId()).containsOnly("a1");
      TestBus.await("/web reached at 2 endpoints", () -> endpoints(bus).size() == 2);
      HttpClient http = HttpClient.newHttpClient();
      for (Endpoint endpoint : endpoints(bus)) {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + endpoint.getPorts().get(0) + "/")).timeout(Duration.ofSeconds(5))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("served from the image");
      }

      assertThat(commands.send("/web", "scale-1", new ScaleApp("/web", 1)).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web down to 1 instance", () -> framework.instances().size() == 1);
      TestBus.await("/web reached at 1 endpoint", () -> endpoints(bus).size() == 1);

      CommandResult bad = commands.send("/bad", "deploy-bad", DeployApp.newBuilder().setApp(AppSpec.newBuilder(web)
          .setId("/bad").setContainer(ContainerInfo.newBuilder().setImage("docker.io/library/nginx").build()).build())
          .build());
      assertThat(bad.getStatus()).isEqualTo(CommandStatus.REJECTED);
      assertThat(bad.getReason()).contains("docker.io/library/nginx");

      assertThat(commands.send("/web", "remove", new RemoveApp("/web")).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/web gone", () -> framework.instances().isEmpty());
      TestBus.await("no container left on a1", () -> runcContainers(dir.resolve("a1/runc")).isEmpty());
    } finally {
      // An agent that stops leaves its tasks running, and nothing ends a container then (docs/containers.md): what
      // a failed run left must not hold ports for the rest of the suite.
      for (String id : runcContainers(dir.resolve("a1/runc"))) {
        runc(dir.resolve("a1/runc"), "delete", "--force", id);
      }
    }
  }

  @Test
  void shouldKeepAStatefulContainerAppsVolumeThroughARollingUpgradeOnItsAgent(@BootstrapServers String bootstrap)
      throws Exception {
    String image = busyboxImage();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
            "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
        BusAgent a1 = agent(bus, "a1");
        AppsFramework framework = new AppsFramework(bus.bus(), "*", AppsFramework.policy(Optional.empty()),
            Clock.systemUTC()).start()) {
      CommandSender commands = new CommandSender(bus);
      // Each instance notes its task id in its volume, then serves the volume: /boots lists every instance that
      // ever ran on it.
      AppSpec db = AppSpec.newBuilder().setId("/db").setCmd(null).setInstances(1).setCpus(0.1).setMem(32)
          .setPorts(List.of(new PortDefinition("http", 0)))
          .setVolumes(List.of(new Volume("data", "*", 16.0, "data")))
          .setUpgradeStrategy(new UpgradeStrategy(0.0, 0.0))
          .setContainer(ContainerInfo.newBuilder().setImage(image).setEntrypoint(List.of("/bin/sh", "-c",
              "echo $KOS_TASK_ID >> $KOS_VOLUME_DATA/boots; exec httpd -f -p $PORT0 -h $KOS_VOLUME_DATA")).build())
          .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/boots")
              .setGracePeriodSeconds(20).setIntervalSeconds(1).setTimeoutSeconds(2).build()))
          .build();
      assertThat(commands.send("/db", "deploy-1", DeployApp.newBuilder().setApp(db).build()).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/db healthy", () -> healthy(framework).size() == 1);
      Instance first = healthy(framework).get(0);

      AppSpec upgraded = AppSpec.newBuilder(db).setEnv(Map.of("VERSION", "2")).build();
      assertThat(commands.send("/db", "update-2", UpdateApp.newBuilder().setApp(upgraded).build()).getStatus())
          .isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/db upgraded and healthy", () -> healthy(framework).stream()
          .anyMatch(i -> !i.taskId().equals(first.taskId())));
      Instance second = healthy(framework).get(0);

      assertThat(second.agent().agentId()).isEqualTo(first.agent().agentId());
      TestBus.await("/db reached at its new endpoint", () -> endpoints(bus, "/db").stream()
          .anyMatch(e -> e.getTaskId().equals(second.taskId())));
      HttpResponse<String> boots = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + endpoints(bus, "/db").get(0).getPorts().get(0) + "/boots"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(boots.body().lines()).as("the volume's boots file, served by the upgraded instance")
          .containsExactly(first.taskId(), second.taskId());

      assertThat(commands.send("/db", "remove", new RemoveApp("/db")).getStatus()).isEqualTo(CommandStatus.ACCEPTED);
      TestBus.await("/db gone", () -> framework.instances().isEmpty());
      TestBus.await("no container left on a1", () -> runcContainers(dir.resolve("a1/runc")).isEmpty());
    } finally {
      for (String id : runcContainers(dir.resolve("a1/runc"))) {
        runc(dir.resolve("a1/runc"), "delete", "--force", id);
      }
    }
  }

  /** The ids of the containers runc knows under {@code root}. */
  private static List<String> runcContainers(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    return runc(root, "list", "-q").lines().filter(line -> !line.isBlank()).toList();
  }

  private static String runc(Path root, String... args) {
    List<String> command = new ArrayList<>(List.of("runc", "--root", root.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(30, TimeUnit.SECONDS);
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }

  /** busybox-static as an OCI layout: a shell and httpd, and a page to serve. */
  private String busyboxImage() throws Exception {
    return BusyboxImage.write(dir.resolve("images/busybox"), List.of("sh", "httpd"),
        List.of(dir("www/"), file("www/index.html", "served from the image\n")));
  }

  /** An agent whose ports are this fork's: a port another test JVM's task holds would make httpd exit at once. */
  private BusAgent agent(TestBus bus, String id) {
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:2;mem:1024;disk:256;ports:"
        + ForkPorts.range(0, 10)),
        Map.of(), Map.of(), dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(1), Duration.ofSeconds(10),
        1000), Clock.systemUTC());
  }

  private static List<Instance> healthy(AppsFramework framework) {
    return framework.instances().stream().filter(i -> i.state() == InstanceState.RUNNING && i.healthy()).toList();
  }

  private static List<Endpoint> endpoints(TestBus bus) {
    return endpoints(bus, "/web");
  }

  private static List<Endpoint> endpoints(TestBus bus, String appId) {
    List<TestBus.Keyed<AppEndpoints>> records = bus.readCommitted(Topics.ENDPOINTS, 0).stream()
        .filter(r -> r.key().equals(appId)).toList();
    AppEndpoints last = records.isEmpty() ? null : records.get(records.size() - 1).value();
    return last == null ? List.of() : last.getEndpoints();
  }
}
