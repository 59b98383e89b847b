package dev.kos.agent.image;

/**
 * An image kos will not run: an entry of one of its layers would escape its root, it unpacks to more than the
 * agent allows, or it cannot be read. The message says which, in words for the person who built the image.
 */
public final class ImageException extends Exception {

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
