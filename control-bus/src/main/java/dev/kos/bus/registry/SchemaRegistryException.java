package dev.kos.bus.registry;

/** The registry refused a request or could not be reached; the message says which and why. */
public class SchemaRegistryException extends RuntimeException {

  public SchemaRegistryException(String message) {
    super(message);
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The registry answered that the schema, subject or version does not exist. */
  public static final class NotFound extends SchemaRegistryException {
    public NotFound(String message) {
      super(message);
    }
  }
}
