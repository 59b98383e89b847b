package dev.kos.agent.volumes;

/** A task cannot have the volumes it asks for; the message says why, for the task's ERROR status. */
public final class VolumeRefused extends Exception {
  public VolumeRefused(String message) {
    super(message);
  }
}
