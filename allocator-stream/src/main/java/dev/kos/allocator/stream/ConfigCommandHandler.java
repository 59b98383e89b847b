package dev.kos.allocator.stream;

import dev.kos.bus.ControlBus;
import dev.kos.bus.access.CommandGate;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.metrics.ProcessMetrics;
import dev.kos.bus.serde.MalformedRecordException;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RoleInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The shell around {@link ConfigCommands}: reads {@code kos.roles} and {@code kos.frameworks} from the allocator's
 * global stores, lets the pure rules decide, and sends the record and the answer through the processor's sinks, so
 * both go out in the shard's exactly-once transaction (a crash before the commit replays the command; after it, the
 * command is not read again).
 *
 * <p>A global store sees a record only after the transaction that wrote it commits and its thread reads it back; a
 * second command for the same role in that window would start from the old record. So what this shard wrote is kept
 * until its store shows exactly those bytes. All commands of one role (or framework id) share a partition of
 * {@code kos.commands}, hence a shard.
 */
final class ConfigCommandHandler {

  private final ControlBus bus;
  private final ReadOnlyKeyValueStore<String, byte[]> roles;
  private final ReadOnlyKeyValueStore<String, byte[]> frameworks;
  private final Outbox outbox;
  private final CommandGate gate;
  private final Map<String, byte[]> writtenRoles = new HashMap<>();
  private final Map<String, byte[]> writtenFrameworks = new HashMap<>();

  ConfigCommandHandler(ControlBus bus, ReadOnlyKeyValueStore<String, byte[]> roles,
      ReadOnlyKeyValueStore<String, byte[]> frameworks, Outbox outbox, CommandGate gate) {
    this.bus = bus;
    this.roles = roles;
    this.frameworks = frameworks;
    this.outbox = outbox;
    this.gate = gate;
  }

  void onCommand(Command command, Instant now) {
    ConfigCommands.Tables tables = new ConfigCommands.Tables(
        read(roles, writtenRoles, Topics.ROLES, InputValidator::role),
        read(frameworks, writtenFrameworks, Topics.FRAMEWORKS, InputValidator::framework));
    ConfigCommands.Verdict verdict = ConfigCommands.decide(command, gate, tables, now);
    if (verdict instanceof ConfigCommands.Accepted accepted) {
      if (accepted.record() instanceof RoleInfo role) {
        writtenRoles.put(accepted.key(), write(Topics.ROLES, accepted.key(), role));
      } else if (accepted.record() instanceof FrameworkInfo framework
          && !framework.equals(tables.frameworks().get(accepted.key()))) {
        writtenFrameworks.put(accepted.key(), write(Topics.FRAMEWORKS, accepted.key(), framework));
      }
      answer(command, CommandStatus.ACCEPTED, accepted.message(), now);
    } else {
      answer(command, CommandStatus.REJECTED, ((ConfigCommands.Rejected) verdict).reason(), now);
    }
  }

  private <V extends SpecificRecord> byte[] write(TopicDef<V> topic, String key, V value) {
    outbox.send(topic, key, value);
    return bus.serde(topic).serialize(bus.topic(topic), value);
  }

  /** The valid records of a table, with this shard's own writes the store does not show yet. */
  private <V extends SpecificRecord> Map<String, V> read(ReadOnlyKeyValueStore<String, byte[]> store,
      Map<String, byte[]> written, TopicDef<V> topic, BiFunction<String, V, java.util.Optional<String>> check) {
    Map<String, byte[]> raw = new HashMap<>();
    try (KeyValueIterator<String, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var entry = it.next();
        raw.put(entry.key, entry.value);
      }
    }
    written.entrySet().removeIf(w -> Arrays.equals(raw.get(w.getKey()), w.getValue()));
    raw.putAll(written);
    Map<String, V> valid = new HashMap<>();
    raw.forEach((key, bytes) -> {
      try {
        V value = bus.serde(topic).deserialize(bus.topic(topic), bytes);
        if (check.apply(key, value).isEmpty()) {
          valid.put(key, value);
        }
      } catch (MalformedRecordException e) {
        // Dead-lettered by the round's sync; a command starts from no record for this key.
      }
    });
    return valid;
  }

  private void answer(Command command, CommandStatus status, String reason, Instant now) {
    ProcessMetrics.commandAnswered(AgentDrains.HANDLED_BY, status.toString());
    outbox.send(Topics.COMMAND_RESULTS, command.getCommandId(), CommandResult.newBuilder()
        .setCommandId(command.getCommandId()).setStatus(status).setReason(reason)
        .setHandledBy(AgentDrains.HANDLED_BY).setTimestamp(now).build());
  }
}
