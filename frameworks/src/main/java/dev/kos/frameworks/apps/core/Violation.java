package dev.kos.frameworks.apps.core;

/** One thing wrong with an app definition or a command, naming the field so that a person can fix it. */
public record Violation(String field, String message) {

  public String reason() {
    return field + ": " + message;
  }

  @Override
  public String toString() {
    return reason();
  }
}
