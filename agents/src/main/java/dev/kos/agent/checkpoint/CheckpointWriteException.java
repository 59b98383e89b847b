package dev.kos.agent.checkpoint;

import java.io.IOException;

/** A task's checkpoint could not be written; the message says which file and why, e.g. no space left. */
public final class CheckpointWriteException extends Exception {
  public CheckpointWriteException(String message, IOException cause) {
    super(message, cause);
  }
}
