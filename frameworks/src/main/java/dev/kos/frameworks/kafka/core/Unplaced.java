package dev.kos.frameworks.kafka.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Why no offer could take a new broker, as a person can act on it (the {@code BROKER_UNPLACED} event that
 * {@code kos kafka describe} shows). The text depends on the cluster and on the kinds of refusal only, not on which
 * agents happened to offer in this round, so that offers arriving one agent at a time do not make it flicker.
 */
public final class Unplaced {

  public static final String KIND = "BROKER_UNPLACED";

  private Unplaced() {
  }

  /**
   * Why {@code broker} fits none of {@code offers}, or empty when there were no offers to judge by (then nothing
   * is known) or one of them fits.
   */
  public static Optional<String> why(KafkaCluster cluster, Broker broker, List<BrokerOffer> offers) {
    if (offers.isEmpty()) {
      return Optional.empty();
    }
    boolean perAgent = false;
    boolean resources = false;
    boolean ports = false;
    boolean zoneFull = false;
    ZoneSpread spread = ZoneSpread.of(cluster, offers);
    TreeSet<String> abandonedHomes = new TreeSet<>();
    for (BrokerOffer offer : offers) {
      boolean refused = false;
      if (!spread.allows(offer.rack())) {
        zoneFull = refused = true;
      }
      if (cluster.brokers().stream().flatMap(b -> b.placement().stream())
          .anyMatch(where -> where.agentId().equals(offer.agentId()))) {
        perAgent = refused = true;
      }
      if (cluster.abandoned().stream().anyMatch(home -> home.placement().agentId().equals(offer.agentId()))) {
        abandonedHomes.add(offer.agentId());
        refused = true;
      }
      if (!offer.unreserved().containsAll(cluster.perBroker())) {
        resources = refused = true;
      }
      if (offer.freePorts(broker.portCount()).size() < broker.portCount()) {
        ports = refused = true;
      }
      if (!refused) {
        return Optional.empty();
      }
    }
    List<String> reasons = new ArrayList<>();
    if (perAgent) {
      TreeSet<String> agents = new TreeSet<>();
      cluster.brokers().forEach(b -> b.placement().ifPresent(where -> agents.add(where.agentId())));
      reasons.add("kos runs one broker of a cluster per agent, and the agents offering already run one of "
          + cluster.name() + "'s: its brokers hold " + agents.size() + (agents.size() == 1 ? " agent (" : " agents (")
          + String.join(", ", agents) + "), so its " + cluster.brokers().size() + " brokers need "
          + cluster.brokers().size() + " agents; start another agent (`kos agent`, or `kos up --agents "
          + cluster.brokers().size() + "`), or create the cluster with fewer brokers");
    }
    if (resources) {
      reasons.add("no agent offering has " + cluster.perBroker().cpus() + " cpus, " + (long) cluster.perBroker().mem()
          + " MiB memory and " + (long) cluster.perBroker().disk() + " MiB disk free for it (--cpus, --mem, --disk)");
    }
    if (ports) {
      reasons.add("no agent offering has " + broker.portCount() + " free ports for it");
    }
    if (zoneFull) {
      reasons.add("the zones offering hold " + spread.cap() + " of its brokers each already, the most one zone "
          + "may hold (ceil(" + cluster.brokers().size() + " brokers / " + spread.zones() + " zones)); start an "
          + "agent in another zone (`kos agent --attributes zone=...`)");
    }
    if (!abandonedHomes.isEmpty()) {
      reasons.add("agent(s) " + String.join(", ", abandonedHomes) + " still hold an old home of a broker of "
          + cluster.name() + " until its volume and reservation there are released");
    }
    return Optional.of("broker " + broker.nodeId() + " unplaced: " + String.join("; ", reasons));
  }
}
