package dev.kos.agent.model;

import java.util.regex.Pattern;

/** A persistent volume a task asks for, or that CREATE_VOLUME makes. */
public record VolumeSpec(String persistenceId, String role, double sizeMb, String containerPath) {
  // Persistence ids become directory names, so they must not be able to escape the volume root.
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern DOT_SEGMENT = Pattern.compile("(^|/)\\.\\.?(/|$)");

  public VolumeSpec {
    if (persistenceId == null || !SAFE_NAME.matcher(persistenceId).matches()) {
      throw new IllegalArgumentException("invalid persistence id '" + persistenceId
          + "': use letters, digits, '.', '_' and '-', starting with a letter, digit or '_'");
    }
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("volume " + persistenceId + " has no role");
    }
    if (containerPath == null || containerPath.isBlank()) {
      containerPath = "data";
    }
    // The container path is relative to the sandbox; a leading '/' means the sandbox root.
    containerPath = containerPath.replaceFirst("^/+", "");
    if (containerPath.isEmpty() || DOT_SEGMENT.matcher(containerPath).find()) {
      throw new IllegalArgumentException("invalid container path '" + containerPath
          + "' for volume " + persistenceId + ": must name a path inside the sandbox");
    }
  }
}
