package dev.kos.agent.model;

/** The answer to CREATE_VOLUME or DESTROY_VOLUME; {@code message} says why when it did not succeed. */
public record VolumeResult(String persistenceId, String role, boolean succeeded, String message) {
  public static VolumeResult ok(String persistenceId, String role, String message) {
    return new VolumeResult(persistenceId, role, true, message);
  }

  public static VolumeResult refused(String persistenceId, String role, String message) {
    return new VolumeResult(persistenceId, role, false, message);
  }
}
