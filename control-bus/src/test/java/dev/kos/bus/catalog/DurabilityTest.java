package dev.kos.bus.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurabilityTest {

  @ParameterizedTest(name = "{0} brokers, asked {1} -> replication {2}, min ISR {3}")
  @CsvSource({
      // brokers, requested (0 = kos chooses), replication, min.insync.replicas
      "1, 0, 1, 1",
      "2, 0, 2, 1",
      "3, 0, 3, 2",
      "5, 0, 3, 2",
      "9, 0, 3, 2",
      "3, 1, 1, 1",
      "3, 2, 2, 1",
      "5, 3, 3, 2",
      "5, 5, 5, 2",
      "1, 1, 1, 1",
  })
  void shouldChooseReplicationAndMinInsyncByBrokers(int brokers, short requested, short replication, int minInsync) {
    Durability durability = Durability.forBrokers(brokers, requested);

    assertThat(durability.replicationFactor()).isEqualTo(replication);
    assertThat(durability.minInsyncReplicas()).isEqualTo(minInsync);
    assertThat(durability.requested()).isEqualTo(requested != Durability.BY_BROKERS);
    assertThat(durability.topicConfig()).containsEntry("min.insync.replicas", Integer.toString(minInsync));
  }

  @Test
  void shouldRefuseAReplicationFactorTheBusHasNoBrokersFor() {
    assertThatThrownBy(() -> Durability.forBrokers(1, (short) 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("replication factor 3 needs 3 brokers but the bus has 1: ask for at most 1, or for 0 to let kos "
            + "choose by the number of brokers");
  }

  @Test
  void shouldSayWhatItChoseAndWhy() {
    assertThat(Durability.forBrokers(4, Durability.BY_BROKERS).describe())
        .isEqualTo("replication factor 3, min.insync.replicas 2 (chosen for a bus of 4 brokers)");
    assertThat(Durability.forBrokers(1, (short) 1).describe())
        .isEqualTo("replication factor 1, min.insync.replicas 1 (replication factor asked for; a bus of 1 broker)");
  }
}
