package dev.kos.bus.catalog;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How many copies of each kos topic the bus keeps, and how many of them must have a write before the
 * write counts. Kafka's defaults (one copy, one in sync) lose the control plane with one disk: on a
 * bus of three or more brokers kos keeps three copies and needs two in sync, so a broker can fail (or
 * restart) without losing or refusing a write; on a smaller bus it keeps a copy per broker and needs
 * one. An operator may ask for a replication factor; the bus must have the brokers for it.
 *
 * @param brokers the brokers of the bus when the choice was made
 * @param requested true when the operator asked for the replication factor, false when kos chose it
 */
public record Durability(short replicationFactor, int minInsyncReplicas, int brokers, boolean requested) {

  /** The replication factor that asks kos to choose by the number of brokers. */
  public static final short BY_BROKERS = 0;
  /** The replication factor kos chooses where the bus has the brokers for it. */
  public static final short PREFERRED_REPLICATION = 3;

  /**
   * The choice for a bus of {@code brokers} brokers; {@code requested} is a replication factor an
   * operator asked for, or {@link #BY_BROKERS}.
   */
  public static Durability forBrokers(int brokers, short requested) {
    if (brokers < 1) {
      throw new IllegalArgumentException("the bus has no brokers to keep topics on");
    }
    if (requested < 0) {
      throw new IllegalArgumentException("replication factor must be at least 1 (or 0 to let kos choose), was "
          + requested);
    }
    if (requested > brokers) {
      throw new IllegalArgumentException("replication factor " + requested + " needs " + requested
          + " brokers but the bus has " + brokers + ": ask for at most " + brokers
          + ", or for 0 to let kos choose by the number of brokers");
    }
    short replication = requested == BY_BROKERS ? (short) Math.min(brokers, PREFERRED_REPLICATION) : requested;
    // Two in sync of three or more copies: a write survives one broker's loss, and one broker may be down
    // without refusing writes. With fewer copies, requiring two would make a single broker's restart an outage.
    int minInsync = replication >= PREFERRED_REPLICATION ? 2 : 1;
    return new Durability(replication, minInsync, brokers, requested != BY_BROKERS);
  }

  /** The choice for the bus {@code admin} reaches, counting its brokers now. */
  public static Durability of(Admin admin, short requested) throws ExecutionException, InterruptedException {
    return forBrokers(admin.describeCluster().nodes().get().size(), requested);
  }

  /** The topic settings this choice adds to a topic kos creates. */
  public Map<String, String> topicConfig() {
    return Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
  }

  /** What was chosen and why, for logs and {@code kos topics}. */
  public String describe() {
    return "replication factor " + replicationFactor + ", min.insync.replicas " + minInsyncReplicas
        + (requested ? " (replication factor asked for; " : " (chosen for ") + "a bus of " + brokers + " broker"
        + (brokers == 1 ? "" : "s") + ")";
  }
}
