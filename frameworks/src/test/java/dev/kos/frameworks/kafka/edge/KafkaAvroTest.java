package dev.kos.frameworks.kafka.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.BrokerOffer;
import dev.kos.frameworks.kafka.core.BrokerVersions;
import dev.kos.frameworks.kafka.core.CommandHandler;
import dev.kos.frameworks.kafka.core.KafkaCommand;
import dev.kos.frameworks.kafka.core.KafkaCommandOutcome;
import dev.kos.model.CommandSpec;
import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import dev.kos.schema.Command;
import dev.kos.schema.CreateKafkaCluster;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.Offer;
import dev.kos.schema.Reservation;
import dev.kos.schema.TaskInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class KafkaAvroTest {

  @Test
  void shouldKeepTheRolesReservationApartFromUnreservedResources() {
    Offer offer = Offer.newBuilder().setOfferId("o1").setFrameworkId("kafka").setAgentId("a1").setHostname("h1")
        .setResources(resources(1, 512, 100, 31000, 31009))
        .setReservations(List.of(new Reservation("kafka", resources(0.5, 768, 1024, 26000, 26000)),
            new Reservation("web", resources(2, 2048, 0, 27000, 27000))))
        .setAttributes(Map.of("zone", "eu-1a", "disk", "ssd")).setCreatedAt(Instant.EPOCH)
        .setExpiresAt(Instant.EPOCH).build();

    BrokerOffer view = KafkaAvro.offer(SchedulerAvro.offer(offer), "kafka", "zone");

    assertThat(view.unreserved()).isEqualTo(Resources.of(1, 512, 100));
    assertThat(view.unreservedPorts()).containsExactly(new PortRange(31000, 31009));
    assertThat(view.reserved()).isEqualTo(Resources.of(0.5, 768, 1024));
    assertThat(view.reservedHolds(Resources.of(0.5, 768, 1024), List.of(26000))).isTrue();
    assertThat(view.reservedHolds(Resources.of(0.5, 768, 1024), List.of(27000))).isFalse();
    assertThat(view.rack()).contains("eu-1a");
    assertThat(KafkaAvro.offer(SchedulerAvro.offer(offer), "kafka", "rack").rack()).as("no such attribute").isEmpty();
  }

  @Test
  void shouldLaunchABrokerWithItsPortsVolumeAndATcpCheckOfItsClientPort() {
    Action.Launch launch = new Action.Launch("o1", "a1", "host-1", "demo", 2, "kafka.demo.broker-2.1",
        Resources.of(0.5, 768, 1024), List.of(26000, 26001, 26002), "kafka-demo-2", "4.2.2",
        Map.of());

    List<Object> operations = KafkaAvro.launch(launch, "kafka", "kafka", CommandSpec.shell("true")).stream()
        .map(SchedulerAvro::operation).toList();

    TaskInfo task = ((LaunchOperation) operations.get(0)).getTasks().get(0);
    assertThat(task.getPortNames()).containsExactly("client", "controller", "jmx");
    assertThat(task.getVolumes()).singleElement().satisfies(volume -> {
      assertThat(volume.getPersistenceId()).isEqualTo("kafka-demo-2");
      assertThat(volume.getContainerPath()).isEqualTo("kafka");
      assertThat(volume.getRole()).isEqualTo("kafka");
    });
    assertThat(task.getHealthCheck().getProtocol()).isEqualTo(HealthCheckProtocol.TCP);
    assertThat(task.getHealthCheck().getPortIndex()).isZero();
    assertThat(task.getAppId()).isEqualTo("demo");
    assertThat(task.getLabels()).containsEntry("kafka.version", "4.2.2");
  }

  private static dev.kos.schema.Resources resources(double cpus, double mem, double disk, int begin, int end) {
    return dev.kos.schema.Resources.newBuilder().setCpus(cpus).setMem(mem).setDisk(disk)
        .setPorts(List.of(new dev.kos.schema.PortRange(begin, end))).build();
  }

  @Test
  void shouldRejectABrokerSizeTheModelCannotHoldWithTheSizeRulesReason() {
    Command create = Command.newBuilder().setCommandId("c1").setPrincipal("alice").setTimestamp(Instant.EPOCH)
        .setPayload(CreateKafkaCluster.newBuilder().setName("demo").setBrokers(3).setCpus(-1).setMem(2048)
            .setDisk(10_000).build()).build();

    KafkaCommand command = KafkaAvro.command(create).orElseThrow().getValue();
    KafkaCommandOutcome outcome = new CommandHandler(new BrokerVersions("4.3.1", new TreeSet<>(Set.of("4.3.1"))))
        .handle(Map.of(), command, "cluster-id", Instant.EPOCH);

    assertThat(outcome).isInstanceOfSatisfying(KafkaCommandOutcome.Rejected.class, rejected -> assertThat(
        rejected.reason()).isEqualTo("each broker needs cpus > 0, mem >= 256 MB and disk > 0 MB; got -1.0 cpus,"
        + " 2048.0 MB mem, 10000.0 MB disk"));
  }
}
