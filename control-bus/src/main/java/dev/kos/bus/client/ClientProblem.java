package dev.kos.bus.client;

/**
 * A problem the user of a kos client (the {@code kos} command, the API server) can fix: the cluster does not answer,
 * a topic is missing. The message says what to do; a client shows it without a stack trace.
 */
public class ClientProblem extends RuntimeException {

  public ClientProblem(String message) {
    super(message);
  }
}
