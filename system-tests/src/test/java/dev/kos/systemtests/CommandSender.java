package dev.kos.systemtests;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.TestBus;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import java.time.Instant;

/** Publishes commands on one test's bus as a user's `kos` would, and returns each one's answer once it is there. */
final class CommandSender {

  private final TestBus bus;
  private int sent;

  CommandSender(TestBus bus) {
    this.bus = bus;
  }

  /** Publishes the command (principal alice) and waits for its answer; the bus holds only this sender's answers. */
  CommandResult send(String key, String commandId, Object payload) {
    bus.publish(Topics.COMMANDS, key, Command.newBuilder().setCommandId(commandId).setPrincipal("alice")
        .setTimestamp(Instant.now()).setPayload(payload).build());
    sent++;
    return bus.readCommitted(Topics.COMMAND_RESULTS, sent).stream()
        .filter(result -> commandId.equals(result.key())).map(TestBus.Keyed::value).findFirst().orElseThrow();
  }
}
