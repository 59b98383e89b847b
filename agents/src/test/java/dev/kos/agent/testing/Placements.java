package dev.kos.agent.testing;

import dev.kos.schema.CommandInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.Volume;
import java.util.List;

/** Placement records as the allocator would write them, small unless a test says otherwise. */
public final class Placements {
  private Placements() {
  }

  public static PlacementEvent launch(String agentId, String taskId, String shell) {
    return launch(agentId, task(taskId, shell).build());
  }

  public static PlacementEvent launch(String agentId, TaskInfo task) {
    return new PlacementEvent(LaunchTask.newBuilder().setAgentId(agentId).setFrameworkId(task.getFrameworkId())
        .setOfferId("offer-" + task.getTaskId()).setTask(task).build());
  }

  public static TaskInfo.Builder task(String taskId, String shell) {
    return TaskInfo.newBuilder()
        .setTaskId(taskId)
        .setName("name-" + taskId)
        .setFrameworkId("fw-1")
        .setAppId("/app")
        .setCommand(CommandInfo.newBuilder().setShell(shell).build())
        .setResources(Resources.newBuilder().setCpus(0.1).setMem(32).setDisk(0).setPorts(List.of()).build());
  }

  public static TaskInfo.Builder withVolume(TaskInfo.Builder task, String persistenceId) {
    return task.setVolumes(List.of(Volume.newBuilder().setPersistenceId(persistenceId).setRole("db").build()));
  }

  public static PlacementEvent kill(String agentId, String taskId, long graceMs) {
    return new PlacementEvent(KillTask.newBuilder().setAgentId(agentId).setFrameworkId("fw-1").setTaskId(taskId)
        .setGracePeriodMs(graceMs).build());
  }
}
