package dev.kos.frameworks.apps.core;

/**
 * A command the framework answered: its id, the app it was about, and the answer (the deployment id of
 * an accepted command, the reason of a rejected one), so that a replay is answered the same.
 */
public record HandledCommand(String commandId, String appId, boolean accepted, String detail) {

  /** The answer {@code outcome} to command {@code commandId} about {@code appId}, to remember. */
  public static HandledCommand of(String commandId, String appId, AppCommandOutcome outcome) {
    if (outcome instanceof AppCommandOutcome.Replayed replayed) {
      return replayed.original();
    }
    return outcome instanceof AppCommandOutcome.Accepted accepted
        ? new HandledCommand(commandId, appId, true, accepted.deploymentId())
        : new HandledCommand(commandId, appId, false, ((AppCommandOutcome.Rejected) outcome).reason());
  }
}
