package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class KafkaBrokerExtensionIT {

  @Test
  void shouldHandOutOneRunningBrokerPerJvm(EmbeddedKafka broker, @BootstrapServers String bootstrap) {
    assertThat(bootstrap).isEqualTo(broker.bootstrapServers());
    assertThat(ProcessHandle.of(broker.pid())).hasValueSatisfying(process -> assertThat(process.isAlive()).isTrue());
  }

  @Test
  void shouldDeliverRecordsFromAnIdempotentProducerAndKeepGroupOffsets(@BootstrapServers String bootstrap)
      throws Exception {
    TestClients.createTopic(bootstrap, "it.idempotent");
    List<String> sent = List.of("a", "b", "c");

    TestClients.produce(bootstrap, "it.idempotent", sent);

    assertThat(TestClients.readCommitted(bootstrap, "it.idempotent", "it-group", sent.size())).isEqualTo(sent);
    assertThat(TestClients.committedOffset(bootstrap, "it.idempotent", "it-group")).isEqualTo(sent.size());
  }

  @Test
  void shouldShowCommittedTransactionsAndHideAbortedOnes(@BootstrapServers String bootstrap) throws Exception {
    TestClients.createTopic(bootstrap, "it.transactions");

    try (KafkaProducer<String, String> producer = TestClients.transactionalProducer(bootstrap, "it-tx")) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("it.transactions", "k", "aborted"));
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>("it.transactions", "k", "committed-1"));
      producer.send(new ProducerRecord<>("it.transactions", "k", "committed-2"));
      producer.commitTransaction();
    }

    assertThat(TestClients.readCommitted(bootstrap, "it.transactions", "it-tx-reader", 2))
        .containsExactly("committed-1", "committed-2");
  }
}
