package dev.kos.agent.fetch;

/** An artifact could not be fetched; the message says which, and why, for the task's FAILED status. */
public final class FetchException extends Exception {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
