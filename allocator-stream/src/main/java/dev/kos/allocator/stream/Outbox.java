package dev.kos.allocator.stream;

import dev.kos.bus.catalog.TopicDef;
import org.apache.avro.specific.SpecificRecord;

/** Where a helper of a processor sends its records: the processor's own sinks. */
interface Outbox {

  <V extends SpecificRecord> void send(TopicDef<V> topic, String key, V value);
}
