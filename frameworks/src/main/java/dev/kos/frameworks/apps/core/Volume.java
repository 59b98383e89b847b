package dev.kos.frameworks.apps.core;

/**
 * A persistent volume every instance of a stateful app gets its own copy of: {@code name} plus the
 * instance make the persistence id, {@code containerPath} is where it appears in the sandbox.
 */
public record Volume(String name, String containerPath, double sizeMb) {
}
