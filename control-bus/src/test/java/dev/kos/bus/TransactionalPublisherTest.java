package dev.kos.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.InMemorySchemaRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A transactional publisher whose producer fails for good (its transaction aborted by a new coordinator, then
 * every call refused) goes on with a new producer; one that was fenced does not.
 */
class TransactionalPublisherTest {

  private final ControlBus bus = new ControlBus(new BusSettings("k:9092", "mem://", TopicCatalog.defaults()),
      new InMemorySchemaRegistry());
  private final List<MockProducer<String, byte[]>> made = new ArrayList<>();
  /** What each new producer is set up to do, in turn; producers made after the last are healthy. */
  private final List<Consumer<MockProducer<String, byte[]>>> behaviours = new ArrayList<>();

  private TransactionalPublisher publisher() {
    TransactionalPublisher publisher = new TransactionalPublisher(bus, "kos-test", () -> {
      MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(),
          new ByteArraySerializer());
      if (made.size() < behaviours.size()) {
        behaviours.get(made.size()).accept(producer);
      }
      made.add(producer);
      return producer;
    });
    publisher.fenceEarlierInstances();
    return publisher;
  }

  private static void publishOne(TransactionalPublisher publisher, String key) {
    publisher.inTransaction(tx -> tx.publish(Topics.FRAMEWORKS, key, null));
  }

  /** As the chaos run saw: the commit is refused, and so is the abort that follows. */
  private static void inAnErrorState(MockProducer<String, byte[]> producer) {
    producer.commitTransactionException = new InvalidTxnStateException(
        "The producer attempted a transactional operation in an invalid state.");
    producer.abortTransactionException = new KafkaException(
        "Cannot execute transactional method because we are in an error state");
  }

  @Test
  void shouldCommitOnANewProducerWhenTheFirstCanNeitherCommitNorAbort() {
    behaviours.add(TransactionalPublisherTest::inAnErrorState);
    TransactionalPublisher publisher = publisher();

    publishOne(publisher, "a");

    assertThat(made).hasSize(2);
    assertThat(made.get(0).closed()).as("the failed producer is closed").isTrue();
    assertThat(made.get(0).history()).as("nothing committed on the failed producer").isEmpty();
    assertThat(made.get(1).transactionInitialized()).isTrue();
    assertThat(made.get(1).history()).extracting(r -> r.key()).containsExactly("a");

    publishOne(publisher, "b");
    assertThat(made).as("the new producer goes on").hasSize(2);
    assertThat(made.get(1).history()).extracting(r -> r.key()).containsExactly("a", "b");
  }

  @Test
  void shouldGiveUpAfterItsAttemptsAndTryAgainWithTheNextTransaction() {
    for (int i = 0; i < TransactionalPublisher.ATTEMPTS; i++) {
      behaviours.add(TransactionalPublisherTest::inAnErrorState);
    }
    TransactionalPublisher publisher = publisher();

    assertThatThrownBy(() -> publishOne(publisher, "a")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed and was aborted");
    assertThat(made).hasSize(TransactionalPublisher.ATTEMPTS);

    publishOne(publisher, "b");
    assertThat(made).hasSize(TransactionalPublisher.ATTEMPTS + 1);
    assertThat(made.get(TransactionalPublisher.ATTEMPTS).history()).extracting(r -> r.key()).containsExactly("b");
  }

  @Test
  void shouldKeepTheProducerWhenItCouldAbort() {
    behaviours.add(producer -> producer.commitTransactionException = new KafkaException("refused once"));
    TransactionalPublisher publisher = publisher();

    assertThatThrownBy(() -> publishOne(publisher, "a")).isInstanceOf(IllegalStateException.class);
    assertThat(made).as("an aborted transaction leaves the producer usable").hasSize(1);
    assertThat(made.get(0).transactionAborted()).isTrue();
  }

  @Test
  void shouldStayFencedAndNeverReplaceAFencedProducer() {
    behaviours.add(producer -> producer.commitTransactionException = new ProducerFencedException("newer epoch"));
    TransactionalPublisher publisher = publisher();

    assertThatThrownBy(() -> publishOne(publisher, "a")).isInstanceOf(TransactionalPublisher.FencedException.class);
    assertThatThrownBy(() -> publishOne(publisher, "b")).isInstanceOf(TransactionalPublisher.FencedException.class);
    assertThat(made).as("a newer instance holds the id: no new producer takes it back").hasSize(1);
  }
}
