package dev.kos.bus.client;

import dev.kos.schema.Command;
import java.time.Clock;
import java.util.UUID;

/** Builds the {@link Command} envelope a user's request travels in. */
public final class Commands {

  private Commands() {
  }

  /**
   * A command with a fresh id, stamped now.
   *
   * @param payload one of the payload records of {@code Command.avsc} (ScaleApp, DrainAgent ...)
   */
  public static Command of(String principal, String role, Object payload, Clock clock) {
    return Command.newBuilder()
        .setCommandId(UUID.randomUUID().toString())
        .setPrincipal(principal)
        .setRole(role)
        .setTimestamp(clock.instant())
        .setPayload(payload)
        .build();
  }
}
