package dev.kos.frameworks.apps.core;

/**
 * One instance's copy of a {@link VolumeTemplate}, living on the agent the instance resides on. The edge makes it a
 * {@code dev.kos.model.Volume} with the app's role when it creates or mounts it.
 */
public record InstanceVolume(String persistenceId, String containerPath, double sizeMb) {

  static InstanceVolume of(VolumeTemplate volume, String instanceId, int attempt) {
    return new InstanceVolume(volume.name() + "." + instanceId + "." + attempt, volume.containerPath(),
        volume.sizeMb());
  }
}
