package dev.kos.api.views;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.FollowerThread;
import dev.kos.bus.client.TopicReader;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.schema.StatusEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status events on kos.status as they come, from the moment the feed starts, handed to every listener: the
 * source of the API's live event stream. One reader serves every listener.
 */
public final class StatusFeed implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StatusFeed.class);

  private final ControlBus bus;
  private final List<Consumer<StatusEvent>> listeners = new CopyOnWriteArrayList<>();
  private FollowerThread follower;

  private StatusFeed(ControlBus bus) {
    this.bus = bus;
  }

  public static StatusFeed start(ControlBus bus) {
    StatusFeed feed = new StatusFeed(bus);
    feed.follower = FollowerThread.start("kos-api-status", feed::run);
    return feed;
  }

  /** True once the feed reads from the end of kos.status: every event after this is delivered. */
  public boolean awaitPositioned(Duration timeout) throws InterruptedException {
    return follower.awaitReady(timeout);
  }

  public void subscribe(Consumer<StatusEvent> listener) {
    listeners.add(listener);
  }

  public void unsubscribe(Consumer<StatusEvent> listener) {
    listeners.remove(listener);
  }

  public int subscribers() {
    return listeners.size();
  }

  private void run(Runnable positioned) {
    try (TopicReader reader = new TopicReader(bus, "kos-api-status")) {
      reader.fromEndNow(reader.partitionsOf(Topics.STATUS));
      positioned.run();
      reader.follow(record -> {
        if (record.value() == null) {
          return;
        }
        try {
          StatusEvent event = reader.decode(Topics.STATUS, record);
          for (Consumer<StatusEvent> listener : listeners) {
            try {
              listener.accept(event);
            } catch (RuntimeException e) {
              // A listener that cannot take events (a client gone) is dropped; the others go on.
              log.debug("dropped a status listener that failed", e);
              listeners.remove(listener);
            }
          }
        } catch (MalformedRecordException e) {
          log.debug("passed over an undecodable status event at {}-{}@{}", record.topic(), record.partition(),
              record.offset());
        }
      });
    } catch (RuntimeException e) {
      log.error("the API's status feed stopped", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    follower.close();
  }
}
