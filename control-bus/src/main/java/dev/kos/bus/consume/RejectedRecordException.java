package dev.kos.bus.consume;

/**
 * Thrown by a handler for a record that decodes but makes no sense (unknown target, absurd
 * resources, ...). The loop dead-letters it with this message as the reason and goes on.
 */
public final class RejectedRecordException extends RuntimeException {

  public RejectedRecordException(String reason) {
    super(reason);
  }
}
