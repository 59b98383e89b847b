package dev.kos.bus.catalog;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * One topic of the control bus as DESIGN.md's topic table declares it. The name here is
 * the logical suffix; {@link TopicCatalog} adds the configurable prefix.
 *
 * @param suffix      name without prefix, e.g. {@code commands}
 * @param valueType   the generated Avro class of every value on the topic
 * @param key         what the key is, for people ("agent id")
 * @param keyOf       the key of a value, so that the key contract is code and not a convention
 * @param cleanup     delete or compact
 * @param retention   how long records live under {@code delete}; ignored for compacted topics
 * @param coPartitioned true when the topic must share the catalogue's partition count with
 *                    the other agent-keyed topics, so one stream task owns a shard of agents
 * @param writtenBy   producers, for the catalogue listing
 * @param readBy      consumers, for the catalogue listing
 */
public record TopicDef<V extends SpecificRecord>(
    String suffix,
    Class<V> valueType,
    String key,
    Function<V, String> keyOf,
    CleanupPolicy cleanup,
    Duration retention,
    boolean coPartitioned,
    String writtenBy,
    String readBy) {

  public TopicDef {
    Objects.requireNonNull(suffix, "suffix");
    Objects.requireNonNull(valueType, "valueType");
    Objects.requireNonNull(keyOf, "keyOf");
    Objects.requireNonNull(cleanup, "cleanup");
    Objects.requireNonNull(retention, "retention");
  }

  /** The key of a value of this topic; the value must be of {@link #valueType()}. */
  public String keyFor(SpecificRecord value) {
    return keyOf.apply(valueType.cast(value));
  }

  public Schema valueSchema() {
    return SpecificData.get().getSchema(valueType);
  }

  /** Kafka's cleanup.policy values. */
  public enum CleanupPolicy {
    DELETE("delete"),
    COMPACT("compact");

    private final String kafkaName;

    CleanupPolicy(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    public String kafkaName() {
      return kafkaName;
    }
  }
}
