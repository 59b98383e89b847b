package dev.kos.bus.access;

import dev.kos.bus.client.Answerer;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import java.time.Instant;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The one check every command goes through before the component that carries it out looks at it: the frameworks'
 * runtime ({@code FrameworkRuntime}) and the allocator's drains call it with the command's principal, so apps, jobs,
 * Kafka clusters, drains and role changes are all decided by the same table ({@link CommandKind}) and the same rule
 * ({@link Access}), from the same {@link AccessPolicy} the API reads. Pure.
 *
 * @param answerer who the caller is: it answers a denied command of its own, and drops one it only watches
 */
public record CommandGate(AccessPolicy policy, Optional<Answerer> answerer) {

  /** Lets every command through: no policy. */
  public static CommandGate open(Optional<Answerer> answerer) {
    return new CommandGate(AccessPolicy.OPEN, answerer);
  }

  /** Why the command's principal may not send it, naming the missing permission; empty when it may. */
  public Optional<String> denies(Command command) {
    if (policy.open()) {
      return Optional.empty();
    }
    SpecificRecord payload = (SpecificRecord) command.getPayload();
    Optional<CommandKind> kind = CommandKind.of(payload);
    if (kind.isEmpty()) {
      return Optional.of("command kind " + payload.getSchema().getName() + " has no permission rule; nobody may"
          + " send it");
    }
    String name = command.getPrincipal();
    Optional<Principal> principal = policy.principal(name);
    if (principal.isEmpty()) {
      return Optional.of("principal " + name + " is not in the access policy, so it lacks the permission "
          + kind.get().permissions(payload, command.getRole()).get(0).describe()
          + "; ask an operator to grant it");
    }
    return Access.denies(principal.get(), kind.get().permissions(payload, command.getRole()));
  }

  /** Whether the caller answers this command (as opposed to only watching it, as the apps framework watches drains). */
  public boolean answers(Command command) {
    return answerer.isPresent()
        && CommandKind.of((SpecificRecord) command.getPayload()).map(CommandKind::answerer).equals(answerer);
  }

  /** The answer to a denied command: rejected, with the reason naming the missing permission. */
  public static CommandResult rejection(Command command, String reason, String handledBy, Instant now) {
    return CommandResult.newBuilder().setCommandId(command.getCommandId()).setStatus(CommandStatus.REJECTED)
        .setReason(reason).setHandledBy(handledBy).setTimestamp(now).build();
  }
}
