package dev.kos.bus.embedded;

/** The embedded broker could not be started or used; the message says why and what to do. */
public class EmbeddedKafkaException extends RuntimeException {

  public EmbeddedKafkaException(String message) {
    super(message);
  }

  public EmbeddedKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
