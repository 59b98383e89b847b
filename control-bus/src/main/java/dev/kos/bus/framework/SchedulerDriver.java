package dev.kos.bus.framework;

import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** What a scheduler can ask of kos; every call becomes a record on the bus. */
public interface SchedulerDriver {

  /** Uses outstanding offers on one agent: launches tasks, reserves or unreserves, creates or destroys volumes. */
  void accept(Collection<String> offerIds, List<Operation> operations);

  /** Shorthand: launches the tasks on one offer. */
  void launch(OfferView offer, List<TaskSpec> tasks);

  /** Refuses an offer; the allocator offers that agent to this framework again only after {@code refuse}. */
  void decline(String offerId, Duration refuse);

  /** Stops offers to this framework until {@link #revive()}. */
  void suppress();

  /** Resumes offers and clears the framework's decline filters. */
  void revive();

  /** Asks an agent to kill a task of this framework. */
  void killTask(String agentId, String taskId);

  /**
   * Delivers the latest known status of each task id through {@link Scheduler#statusUpdate}. A task kos has
   * no record of (no agent reported on it yet: never launched, still on its way, or forgotten) comes back
   * LOST with an empty agent id.
   */
  void reconcile(Collection<String> taskIds);

  /**
   * Ends this framework's registration for good, as Mesos's teardown does: the allocator rescinds its offers and
   * forgets it at once, rather than waiting out its failover timeout and reporting it as failed over. Tasks still
   * running are not killed by this: kill them first. Nothing more is sent afterwards.
   */
  void teardown();
}
