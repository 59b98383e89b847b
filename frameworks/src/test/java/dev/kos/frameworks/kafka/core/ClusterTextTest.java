package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.TaskState;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterTextTest {

  @Test
  void shouldDescribeTheClusterAndEachBrokerWithTheirReleases() {
    Harness h = new Harness();
    h.command(new KafkaCommand.Create("c", 3, Harness.BROKER, Map.of(), Optional.of("4.2.2")));
    h.runAll("c");
    h.command(new KafkaCommand.Upgrade("c", "4.3.1"));
    h.plan();
    h.status(h.broker("c", 1).taskId().orElseThrow(), TaskState.KILLED, null);

    assertThat(ClusterText.describe(h.cluster("c"))).isEqualTo("3 brokers, Kafka 4.3.1, config version 2, "
        + "rebalance NONE, bootstrap agent-1.example:31010,agent-2.example:31020,agent-3.example:31030");
    assertThat(ClusterText.describe(h.broker("c", 1)))
        .isEqualTo("STOPPED on agent-1 at agent-1.example:31010, controller+broker, Kafka 4.2.2, config 1");
    h.status(h.broker("c", 2).taskId().orElseThrow(), TaskState.FAILED, null);
    assertThat(ClusterText.describe(h.broker("c", 2))).endsWith("config 1, failures in a row: 1");
  }
}
