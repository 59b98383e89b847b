package dev.kos.bus.json;

/**
 * One reason a JSON document does not fit an Avro schema.
 *
 * @param path where in the document, e.g. {@code $.payload.ScaleApp.instances}
 * @param expected the Avro type wanted there, e.g. {@code int}
 * @param found what the document holds there, e.g. {@code string "five"}
 */
public record Violation(String path, String expected, String found) {

  /** The line a person reads: {@code $.payload.ScaleApp.instances: expected int, found string "five"}. */
  public String message() {
    return path + ": expected " + expected + ", found " + found;
  }

  @Override
  public String toString() {
    return message();
  }
}
