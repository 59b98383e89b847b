package dev.kos.frameworks.apps.core;

/** One instance's copy of a {@link Volume}, living on one agent. */
public record PersistentVolume(String persistenceId, String containerPath, double sizeMb) {

  static PersistentVolume of(Volume volume, String instanceId, int attempt) {
    return new PersistentVolume(volume.name() + "." + instanceId + "." + attempt, volume.containerPath(),
        volume.sizeMb());
  }
}
