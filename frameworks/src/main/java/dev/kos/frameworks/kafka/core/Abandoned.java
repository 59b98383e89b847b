package dev.kos.frameworks.kafka.core;

/**
 * A broker's former home, left when its agent stayed away too long and the broker was placed anew: should the
 * agent come back, its volume there is destroyed and its reservation released, as a retired broker's are.
 *
 * @param volumeDestroyed whether the volume is gone and only the reservation is left to release
 */
public record Abandoned(int nodeId, Placement placement, boolean volumeDestroyed) {
}
