package dev.kos.bus.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record whose bytes cannot be decoded; the message is the reason a dead letter carries. */
public final class MalformedRecordException extends SerializationException {

  public MalformedRecordException(String message) {
    super(message);
  }

  public MalformedRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
