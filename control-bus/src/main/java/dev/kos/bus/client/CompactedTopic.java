package dev.kos.bus.client;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.serde.MalformedRecordException;
import java.io.PrintWriter;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/** The current state a compacted topic holds: its latest value per key, read to the topic's end. */
public final class CompactedTopic {

  private CompactedTopic() {
  }

  /** Replays the topic from its oldest record; a later value replaces an earlier one, a tombstone removes the key. */
  public static <V extends SpecificRecord> Latest<V> read(ControlBus bus, TopicDef<V> topic) {
    SortedMap<String, V> latest = new TreeMap<>();
    int[] undecodable = {0};
    try (TopicReader reader = new TopicReader(bus, "kos-cli-" + topic.suffix())) {
      reader.fromBeginning(reader.partitionsOf(topic));
      reader.readToEnd(record -> {
        String key = TopicReader.keyOf(record);
        if (record.value() == null) {
          latest.remove(key);
          return;
        }
        try {
          latest.put(key, reader.decode(topic, record));
        } catch (MalformedRecordException e) {
          undecodable[0]++;
        }
      });
    }
    return new Latest<>(Collections.unmodifiableSortedMap(latest), bus.topic(topic), undecodable[0]);
  }

  /**
   * The latest value per key, in key order.
   *
   * @param undecodable records passed over because they do not decode
   */
  public record Latest<V>(SortedMap<String, V> byKey, String topic, int undecodable) {

    /** Tells the user that the listing may miss something, and where to look. */
    public void warnIfIncomplete(PrintWriter err) {
      if (undecodable > 0) {
        err.printf("kos: passed over %d record(s) of %s that do not decode; `kos events --topic %s "
            + "--from-beginning` shows them%n", undecodable, topic, topic);
      }
    }
  }
}
