package dev.kos.bus.client;

import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import java.time.Duration;

/** What became of a command a user sent: the line to print and the exit code. */
public sealed interface CommandOutcome {

  int EXIT_ACCEPTED = 0;
  int EXIT_REJECTED = 1;
  int EXIT_UNANSWERED = 3;

  int exitCode();

  /** One line for the user. */
  String describe();

  /** True when the line belongs on standard error. */
  default boolean failed() {
    return exitCode() != EXIT_ACCEPTED;
  }

  /** The handler's answer, accepted or rejected. */
  record Answered(CommandResult result) implements CommandOutcome {

    @Override
    public int exitCode() {
      return result.getStatus() == CommandStatus.ACCEPTED ? EXIT_ACCEPTED : EXIT_REJECTED;
    }

    @Override
    public String describe() {
      String head = "command " + result.getCommandId() + " ";
      if (result.getStatus() == CommandStatus.REJECTED) {
        return head + "rejected by " + result.getHandledBy() + ": "
            + (result.getReason() == null || result.getReason().isEmpty() ? "-" : result.getReason());
      }
      return head + "accepted by " + result.getHandledBy()
          + (result.getDeploymentId() == null ? "" : ", deployment " + result.getDeploymentId())
          + (result.getReason() == null ? "" : ": " + result.getReason());
    }
  }

  /** No answer within the wait. */
  record Unanswered(String commandId, Duration waited, Answerer answerer) implements CommandOutcome {

    @Override
    public int exitCode() {
      return EXIT_UNANSWERED;
    }

    @Override
    public String describe() {
      return "no " + answerer.kind() + " answered within " + DurationText.of(waited) + ": is "
          + answerer.displayName() + " running? (kos up starts it) Command " + commandId
          + " stays on kos.commands; --timeout waits longer";
    }
  }

  /** Published with {@code --no-wait}: the answer is not awaited. */
  record Sent(String commandId, String topic) implements CommandOutcome {

    @Override
    public int exitCode() {
      return EXIT_ACCEPTED;
    }

    @Override
    public String describe() {
      return "command " + commandId + " sent to " + topic + "; `kos events --follow` shows its answer";
    }
  }
}
