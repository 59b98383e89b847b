package dev.kos.allocator.stream;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.allocator.core.Launch;
import dev.kos.allocator.core.Offer;
import dev.kos.model.Resources;
import dev.kos.allocator.core.ShardView;
import dev.kos.allocator.core.TaskWatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * JSON for the shell's own state stores: running tasks and outstanding offers, so that a
 * restarted shell rebuilds the core as it was, and the shards' views in the shard-summaries store. Internal state, never
 * on a bus topic, so it needs no registry.
 */
final class StateStoreJson {

  /** Fields only: the core's records have helpers such as {@code isEmpty()} that are not state. */
  private static final ObjectMapper JSON = new ObjectMapper()
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

  /** An outstanding offer as stored; instants as epoch millis so plain Jackson reads them back. */
  record StoredOffer(String offerId, String frameworkId, String role, String agentId, String hostname,
      Resources reserved, Resources unreserved, Map<String, String> attributes, long createdAtMs, long expiresAtMs) {

    static StoredOffer of(Offer offer) {
      return new StoredOffer(offer.offerId(), offer.frameworkId(), offer.role(), offer.agentId(), offer.hostname(),
          offer.reserved(), offer.unreserved(), offer.attributes(), offer.createdAt().toEpochMilli(),
          offer.expiresAt().toEpochMilli());
    }

    Offer toOffer() {
      return new Offer(offerId, frameworkId, role, agentId, hostname, reserved, unreserved, attributes,
          Instant.ofEpochMilli(createdAtMs), Instant.ofEpochMilli(expiresAtMs));
    }
  }

  /**
   * A running task as stored in the tasks store. While the allocator waits for the first status of its agent (the
   * task watch's STAGING phase, decision 0011) {@code stagingSinceMs} says since when; once a status came it is null.
   * The STAGING entry lives here rather than in the watch store so that a launch is one changelog record (this one)
   * instead of two (the task, then its watch entry), and its first status one (this record again) instead of a
   * tombstone in the watch store. A task stored by an earlier release (a plain {@link Launch}) reads with no STAGING.
   */
  record StoredTask(String taskId, String frameworkId, String role, String agentId, Resources resources,
      Long stagingSinceMs) {

    static StoredTask running(Launch task) {
      return new StoredTask(task.taskId(), task.frameworkId(), task.role(), task.agentId(), task.resources(), null);
    }

    static StoredTask staging(TaskWatch.Entry entry) {
      if (entry.phase() != TaskWatch.Phase.STAGING) {
        throw new IllegalArgumentException("only a STAGING watch entry is stored with its task, not " + entry);
      }
      Launch task = entry.task();
      return new StoredTask(task.taskId(), task.frameworkId(), task.role(), task.agentId(), task.resources(),
          entry.since().toEpochMilli());
    }

    Launch launch() {
      return new Launch(taskId, frameworkId, role, agentId, resources);
    }

    /** The watch's STAGING entry, while the task awaits its agent's first status. */
    Optional<TaskWatch.Entry> staging() {
      return stagingSinceMs == null ? Optional.empty()
          : Optional.of(new TaskWatch.Entry(launch(), TaskWatch.Phase.STAGING, Instant.ofEpochMilli(stagingSinceMs)));
    }
  }

  /** A watched task as stored; the phase's start as epoch millis. */
  record StoredWatch(Launch task, TaskWatch.Phase phase, long sinceMs) {

    static StoredWatch of(TaskWatch.Entry entry) {
      return new StoredWatch(entry.task(), entry.phase(), entry.since().toEpochMilli());
    }

    TaskWatch.Entry toEntry() {
      return new TaskWatch.Entry(task, phase, Instant.ofEpochMilli(sinceMs));
    }
  }

  private StateStoreJson() {
  }

  static byte[] write(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StoredTask task(byte[] bytes) {
    return read(bytes, StoredTask.class);
  }

  static ShardView shardView(byte[] bytes) {
    return read(bytes, ShardView.class);
  }

  static TaskWatch.Entry watched(byte[] bytes) {
    return read(bytes, StoredWatch.class).toEntry();
  }

  static Offer offer(byte[] bytes) {
    return read(bytes, StoredOffer.class).toOffer();
  }

  private static <T> T read(byte[] bytes, Class<T> type) {
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable allocator state: " + e.getMessage(), e);
    }
  }
}
