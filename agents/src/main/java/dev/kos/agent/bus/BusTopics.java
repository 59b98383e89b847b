package dev.kos.agent.bus;

import dev.kos.bus.BusSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** What agents need to know about a topic before they read it, with errors that say what to do. */
public final class BusTopics {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private BusTopics() {
  }

  /** The topic's real partition count, which decides the partition of each agent's key. */
  public static int partitionCount(BusSettings bus, String topic) {
    try (Admin admin = Admin.create(bus.adminConfig())) {
      return admin.describeTopics(List.of(topic)).allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException("topic " + topic + " does not exist: start kos with `kos up`, "
            + "or check --topic-prefix", e.getCause());
      }
      throw new IllegalStateException("cannot read topic " + topic + " at " + bus.bootstrapServers() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no answer from Kafka at " + bus.bootstrapServers() + " within "
          + TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading topic " + topic, e);
    }
  }
}
