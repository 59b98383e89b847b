package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.PortRange;
import dev.kos.model.Resources;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

  @Test
  void shouldMakeTheFirstThreeNodesCombinedVotersAndLaterOnesBrokersOnly() {
    Harness h = Harness.withCluster("c", 3);
    h.command(new KafkaCommand.AddBrokers("c", 1));
    h.runAll("c");

    Map<String, String> voter = ServerConfig.properties(h.cluster("c"), h.broker("c", 2));
    Map<String, String> broker = ServerConfig.properties(h.cluster("c"), h.broker("c", 4));

    assertThat(voter).containsEntry("process.roles", "broker,controller")
        .containsEntry("listeners", "PLAINTEXT://:31020,CONTROLLER://:31021")
        .containsEntry("advertised.listeners", "PLAINTEXT://agent-2.example:31020")
        .containsEntry("controller.quorum.voters",
            "1@agent-1.example:31011,2@agent-2.example:31021,3@agent-3.example:31031")
        .containsEntry("default.replication.factor", "3").doesNotContainKey("log.dirs");
    assertThat(broker).containsEntry("process.roles", "broker").containsEntry("listeners", "PLAINTEXT://:31040")
        .containsEntry("controller.quorum.voters", voter.get("controller.quorum.voters"));
  }

  @Test
  void shouldLetTheUsersConfigOverrideDefaultsButNotIdentity() {
    Harness h = new Harness();
    h.command(Harness.create("c", 1, Harness.BROKER, Map.of("num.io.threads", "8", "a.b", "c")));
    h.runAll("c");

    Map<String, String> props = ServerConfig.properties(h.cluster("c"), h.broker("c", 1));

    assertThat(props).containsEntry("num.io.threads", "8").containsEntry("a.b", "c")
        .containsEntry("offsets.topic.replication.factor", "1").containsEntry("node.id", "1");
    assertThat(ServerConfig.bootstrapServers(h.cluster("c"))).isEqualTo("agent-1.example:31010");
  }

  @Test
  void shouldSetTheBrokersRackFromTheRackOfTheAgentItWasPlacedOn() {
    Harness h = Harness.withCluster("c", 1);
    h.plan(new BrokerOffer("o1", "a1", "a1.example", Resources.of(2, 4096, 10_000), List.of(new PortRange(31000,
        31009)), Resources.NONE, List.of(), Optional.of("eu-1a")));

    assertThat(h.broker("c", 1).placement().orElseThrow().rack()).contains("eu-1a");
    assertThat(ServerConfig.properties(h.cluster("c"), h.broker("c", 1))).containsEntry("broker.rack", "eu-1a");
    Harness norack = Harness.withCluster("d", 1);
    norack.runAll("d");
    assertThat(ServerConfig.properties(norack.cluster("d"), norack.broker("d", 1))).doesNotContainKey("broker.rack");
    assertThat(norack.command(Harness.create("e", 1, Harness.BROKER, Map.of("broker.rack", "x"))))
        .isInstanceOf(KafkaCommandOutcome.Rejected.class);
  }
}
