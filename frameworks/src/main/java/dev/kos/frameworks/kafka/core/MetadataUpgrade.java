package dev.kos.frameworks.kafka.core;

import java.util.Optional;

/**
 * When an upgraded cluster's {@code metadata.version} is raised: once every broker runs the cluster's release at
 * its current config version, healthy and registered, with every partition in sync and none moving. Only then
 * does the level the new release supports hold for every broker; raising it earlier would leave a broker of the
 * old release unable to read the metadata log. A cluster that never upgraded is at its release's level already.
 */
public final class MetadataUpgrade {

  private MetadataUpgrade() {
  }

  /** The level to raise {@code metadata.version} to now, if any. */
  public static Optional<Short> level(KafkaCluster cluster, Observation seen) {
    boolean rolled = cluster.brokers().stream().filter(b -> !b.gone()).allMatch(b -> b.runningHealthy()
        && b.configVersion() == cluster.configVersion() && b.version().filter(cluster.version()::equals).isPresent());
    return rolled && Planner.allWell(cluster, seen) && seen.metadata().behind()
        ? Optional.of(seen.metadata().supported()) : Optional.empty();
  }
}
