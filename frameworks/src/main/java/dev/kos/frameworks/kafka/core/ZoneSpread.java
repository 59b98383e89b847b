package dev.kos.frameworks.kafka.core;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a cluster's brokers spread over zones (the agents' rack attribute): at most ceil(brokers / zones) in one
 * zone, and a new broker goes to the zone that holds fewest of them, so that the first three, the KRaft
 * controllers, land in distinct zones when there are three. The zones are those of the agents that offered and of
 * the brokers placed so far; an agent without a zone is not judged.
 */
public final class ZoneSpread {

  private final Map<String, Integer> brokersPerZone = new HashMap<>();
  private final Set<String> zones = new TreeSet<>();
  private final int cap;

  private ZoneSpread(KafkaCluster cluster, List<BrokerOffer> offers) {
    offers.forEach(o -> o.rack().ifPresent(zones::add));
    cluster.brokers().forEach(b -> b.placement().flatMap(Placement::rack).ifPresent(zone -> {
      zones.add(zone);
      brokersPerZone.merge(zone, 1, Integer::sum);
    }));
    int size = cluster.brokers().size();
    cap = zones.isEmpty() ? size : (size + zones.size() - 1) / zones.size();
  }

  public static ZoneSpread of(KafkaCluster cluster, List<BrokerOffer> offers) {
    return new ZoneSpread(cluster, offers);
  }

  /** Whether one more broker may go to {@code zone}. */
  public boolean allows(Optional<String> zone) {
    return zone.isEmpty() || brokersPerZone.getOrDefault(zone.get(), 0) < cap;
  }

  /** The most brokers of the cluster one zone may hold. */
  public int cap() {
    return cap;
  }

  public int zones() {
    return zones.size();
  }

  /** Of {@code fitting}, in order, the first in a zone with fewest brokers that may take one more. */
  public Optional<BrokerOffer> best(List<BrokerOffer> fitting) {
    return fitting.stream().filter(o -> allows(o.rack()))
        .min(Comparator.comparingInt(o -> o.rack().map(z -> brokersPerZone.getOrDefault(z, 0)).orElse(0)));
  }
}
