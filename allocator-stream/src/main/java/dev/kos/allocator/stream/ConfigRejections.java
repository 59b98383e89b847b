package dev.kos.allocator.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bad records on the compacted configuration tables ({@code kos.roles}, {@code kos.frameworks}). Such a record
 * is ignored, so the last valid configuration of its role or framework stays in force; and since compaction keeps
 * it and every round looks at the tables, each distinct bad value is logged and dead-lettered once, not on every
 * round. Every shard reads the same tables, so only one of them, the reporter, dead-letters.
 */
final class ConfigRejections {

  private static final Logger log = LoggerFactory.getLogger(ConfigRejections.class);

  /** Topic and key to the bad value last reported for it, as compared: a heartbeat's time does not count. */
  private final Map<String, Object> reported = new HashMap<>();
  private final boolean reporter;

  /** @param reporter whether this shard dead-letters (the one of partition 0: each partition has one owner) */
  ConfigRejections(boolean reporter) {
    this.reporter = reporter;
  }

  /**
   * Notes a bad value; true when it was not reported before and this shard must dead-letter it.
   *
   * @param identity the value as compared with the one reported before
   */
  boolean rejected(String topic, String key, Object identity, String reason) {
    Object previous = reported.put(topic + "/" + key, identity);
    if (Objects.equals(previous, identity)) {
      return false;
    }
    log.warn("ignoring the {} record of {}: {}; its last valid configuration stays in force", topic, key, reason);
    return reporter;
  }

  /** A valid value or a tombstone for the key: a bad value that comes back later is reported again. */
  void cleared(String topic, String key) {
    reported.remove(topic + "/" + key);
  }
}
