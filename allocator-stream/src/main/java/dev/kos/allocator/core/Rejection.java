package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.util.List;

/**
 * Why a request launched or reserved nothing, as a value with a reason a person can act on.
 * Nothing a rejected request named was allocated; offers it used up are back in the pool.
 */
public sealed interface Rejection {

  String reason();

  /** Rejections of an accept name the framework and the tasks that were not launched. */
  sealed interface OfAccept extends Rejection {
    String frameworkId();

    List<String> taskIds();
  }

  record UnknownFramework(String frameworkId, List<String> taskIds) implements OfAccept {
    public UnknownFramework {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "framework " + frameworkId + " is not registered; register it before accepting offers";
    }
  }

  record UnknownOffer(String frameworkId, String offerId, List<String> taskIds) implements OfAccept {
    public UnknownOffer {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "offer " + offerId + " is unknown, expired, rescinded or already used; wait for a new offer";
    }
  }

  record NoOfferNamed(String frameworkId, List<String> taskIds) implements OfAccept {
    public NoOfferNamed {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "the accept names no offer; tasks launch only on outstanding offers";
    }
  }

  record OfferOfAnotherFramework(String frameworkId, String offerId, List<String> taskIds) implements OfAccept {
    public OfferOfAnotherFramework {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "offer " + offerId + " was made to another framework, not to " + frameworkId;
    }
  }

  record OffersOnSeveralAgents(String frameworkId, List<String> offerIds, List<String> taskIds)
      implements OfAccept {
    public OffersOnSeveralAgents {
      offerIds = List.copyOf(offerIds);
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "offers " + offerIds + " are on different agents; one accept may only use offers of one agent";
    }
  }

  record DuplicateTask(String frameworkId, String duplicateTaskId, List<String> taskIds) implements OfAccept {
    public DuplicateTask {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "task id " + duplicateTaskId + " is already running or repeated in this accept; use unique task ids";
    }
  }

  record ExceedsOffer(String frameworkId, Resources requested, Resources offered, List<String> taskIds)
      implements OfAccept {
    public ExceedsOffer {
      taskIds = List.copyOf(taskIds);
    }

    @Override
    public String reason() {
      return "tasks ask for " + requested + " but the accepted offers hold only " + offered
          + "; launch fewer or smaller tasks";
    }
  }

  /** A reserve or unreserve that could not be carried out; nothing was moved. */
  record ReservationRefused(String agentId, String role, Resources requested, Resources available, String why)
      implements Rejection {
    @Override
    public String reason() {
      return "cannot change the reservation of " + requested + " for role " + role + " on agent " + agentId
          + ": " + why + " (available: " + available + ")";
    }
  }

  /** A drain or undrain of an agent the allocator does not know; nothing changed. */
  record UnknownAgent(String agentId, String action) implements Rejection {
    @Override
    public String reason() {
      return "cannot " + action + " agent " + agentId + ": the allocator knows no such agent"
          + " (it has not reported, or it left); check the id with kos agent list";
    }
  }
}
