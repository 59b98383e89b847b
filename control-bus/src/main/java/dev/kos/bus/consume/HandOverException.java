package dev.kos.bus.consume;

/**
 * Thrown by a handler that may no longer act for its group (another instance of its process took over): the
 * loop ends without committing this record or anything after it, and without dead-lettering it, so the
 * group's next owner of the partition reads it from the last commit. Nothing is lost and nothing is answered
 * by an instance that is no longer in charge.
 */
public final class HandOverException extends RuntimeException {

  public HandOverException(String reason) {
    super(reason);
  }
}
