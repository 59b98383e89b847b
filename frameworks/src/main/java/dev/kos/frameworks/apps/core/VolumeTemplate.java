package dev.kos.frameworks.apps.core;

/**
 * A persistent volume of an app definition, which every instance of the stateful app gets its own copy of
 * ({@link InstanceVolume}): {@code name} plus the instance make the persistence id, {@code containerPath} is where
 * it appears in the sandbox. Not a volume on an agent ({@code dev.kos.model.Volume}): a template for them.
 */
public record VolumeTemplate(String name, String containerPath, double sizeMb) {
}
