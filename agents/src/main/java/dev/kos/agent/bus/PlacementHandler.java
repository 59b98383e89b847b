package dev.kos.agent.bus;

import dev.kos.agent.edge.PlacementAvro;
import dev.kos.agent.model.KillRequest;
import dev.kos.agent.model.TaskRef;
import dev.kos.agent.model.TaskSpec;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.bus.consume.BusConsumerLoop;
import dev.kos.bus.consume.BusRecord;
import dev.kos.bus.consume.RejectedRecordException;
import dev.kos.schema.CreateVolume;
import dev.kos.schema.DestroyVolume;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.TaskInfo;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries placements out on the agent their key names, if it runs here; records for agents
 * elsewhere that share the partition are skipped. A placement that does not map to a task or
 * volume, or whose payload names another agent than its key, is rejected (the consumer loop
 * dead-letters it with the reason). A launch that names a task but cannot be read into one (a bad
 * task id, volume id, health check or resources) is answered with an ERROR status as well, so that
 * the allocator frees what it set aside for the task and the framework stops waiting for it; only
 * a launch with no task id at all is dead-lettered alone, as no status could name its task.
 * Everything else is answered by the agent itself: task statuses (ERROR/FAILED for tasks it cannot
 * run), or a volume result.
 */
public final class PlacementHandler implements BusConsumerLoop.Handler<PlacementEvent> {
  public static final String CREATE_VOLUME = "create-volume";
  public static final String DESTROY_VOLUME = "destroy-volume";
  private static final Logger log = LoggerFactory.getLogger(PlacementHandler.class);

  /** An agent placements are carried out on: a real executor, or one simulated agent. */
  public interface Target {
    void launch(TaskSpec task);

    /**
     * Answers a launch that cannot be carried out with a terminal status giving {@code reason};
     * not when {@code task} names a task this agent already has, which runs on untouched.
     */
    void refuse(TaskRef task, String reason);

    void kill(KillRequest kill);

    VolumeResult createVolume(VolumeSpec volume);

    VolumeResult destroyVolume(String persistenceId, String role);
  }

  /** Where volume results go: {@code operation} is {@link #CREATE_VOLUME} or {@link #DESTROY_VOLUME}. */
  @FunctionalInterface
  public interface VolumeAnswers {
    void answer(String agentId, String operation, VolumeResult result);
  }

  private final Function<String, Target> targets;
  private final VolumeAnswers volumeAnswers;

  /** @param targets the agent with a given id if it runs here, else null */
  public PlacementHandler(Function<String, Target> targets, VolumeAnswers volumeAnswers) {
    this.targets = targets;
    this.volumeAnswers = volumeAnswers;
  }

  @Override
  public void handle(BusRecord<PlacementEvent> record) {
    String agentId = record.key();
    Target target = agentId == null ? null : targets.apply(agentId);
    if (target == null) {
      return;
    }
    if (record.value() == null) {
      // Several agents share a partition, so only the agent the key names dead-letters the record.
      throw new RejectedRecordException("a placement without a value (a tombstone) for agent " + agentId
          + ": kos.placements carries PlacementEvent records only (LaunchTask, KillTask, volume operations)");
    }
    Object payload = record.value().getPayload();
    try {
      if (payload instanceof LaunchTask launch) {
        requireSameAgent(agentId, launch.getAgentId());
        target.launch(taskOf(launch, target));
      } else if (payload instanceof KillTask kill) {
        requireSameAgent(agentId, kill.getAgentId());
        target.kill(PlacementAvro.kill(kill));
      } else if (payload instanceof CreateVolume create) {
        requireSameAgent(agentId, create.getAgentId());
        volumeAnswers.answer(agentId, CREATE_VOLUME, target.createVolume(PlacementAvro.volume(create)));
      } else {
        DestroyVolume destroy = (DestroyVolume) payload;
        requireSameAgent(agentId, destroy.getAgentId());
        volumeAnswers.answer(agentId, DESTROY_VOLUME,
            target.destroyVolume(destroy.getPersistenceId(), destroy.getRole()));
      }
    } catch (IllegalArgumentException e) {
      log.warn("placement {}-{}@{} cannot be carried out: {}", record.topic(), record.partition(), record.offset(),
          e.getMessage());
      throw new RejectedRecordException(payload.getClass().getSimpleName() + " for agent " + agentId
          + " cannot be carried out: " + e.getMessage());
    }
  }

  /**
   * The task a launch carries. One that cannot be read is refused with an ERROR status first (the
   * exception then dead-letters the record too); without a task id there is nothing to report on.
   */
  private static TaskSpec taskOf(LaunchTask launch, Target target) {
    TaskInfo info = launch.getTask();
    String frameworkId = info == null || info.getFrameworkId() == null ? launch.getFrameworkId() : info.getFrameworkId();
    if (info == null || info.getTaskId() == null || frameworkId == null) {
      throw new IllegalArgumentException("it carries no " + (info == null ? "task" : info.getTaskId() == null
          ? "task id" : "framework id") + ", so no status can name its task and it is only dead-lettered");
    }
    try {
      return PlacementAvro.task(launch);
    } catch (IllegalArgumentException | NullPointerException e) {
      String problem = e.getMessage() == null ? e.toString() : e.getMessage();
      target.refuse(new TaskRef(info.getTaskId(), frameworkId, info.getAppId()),
          "the agent cannot run this task: " + problem);
      throw new IllegalArgumentException(problem + " (answered with an ERROR status for task '"
          + info.getTaskId() + "')", e);
    }
  }

  private static void requireSameAgent(String key, String payloadAgentId) {
    if (!key.equals(payloadAgentId)) {
      throw new IllegalArgumentException("it is keyed for agent " + key + " but names agent " + payloadAgentId
          + "; a placement's key must be the agent id of its payload");
    }
  }
}
