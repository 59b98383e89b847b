package dev.kos.frameworks.kafka.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What the planner wants done; the shell turns each into driver calls or bus records (STYLE.md, example 7). */
public sealed interface Action {

  /** Reserve a broker's resources and ports on the offer's agent for the framework's role. */
  record Reserve(String offerId, String agentId, String cluster, int nodeId, Resources resources,
      List<Integer> ports) implements Action {
  }

  /** Create a broker's log volume on the offer's agent. */
  record CreateVolume(String offerId, String agentId, String cluster, int nodeId, String volumeId, double sizeMb)
      implements Action {
  }

  /** Launch a broker task of Kafka {@code version} from its reservation, with its volume and server.properties. */
  record Launch(String offerId, String agentId, String hostname, String cluster, int nodeId, String taskId,
      Resources resources, List<Integer> ports, String volumeId, String version, Map<String, String> serverProperties)
      implements Action {

    /** The last reserved port: the broker's JMX, where the framework reads its bytes in and out. */
    public int jmxPort() {
      return ports.get(ports.size() - 1);
    }
  }

  record Kill(String agentId, String taskId, String cluster, int nodeId, String reason) implements Action {
  }

  /** Destroy a removed broker's volume. */
  record DestroyVolume(String offerId, String agentId, String cluster, int nodeId, String volumeId)
      implements Action {
  }

  /** Hand a removed broker's reservation back to the agent's unreserved pool. */
  record Unreserve(String offerId, String agentId, String cluster, int nodeId, Resources resources,
      List<Integer> ports) implements Action {
  }

  record Decline(String offerId, Duration refuse) implements Action {
  }

  /** Something users watch: becomes a StatusEvent; {@code nodeId} is 0 for the cluster as a whole. */
  record Notice(String cluster, String kind, int nodeId, String message) implements Action {
  }
}
