package dev.kos.bus.catalog;

import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.Command;
import dev.kos.schema.ConfigureKafkaCluster;
import dev.kos.schema.CreateKafkaCluster;
import dev.kos.schema.ConfigureRole;
import dev.kos.schema.DeleteKafkaCluster;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.KillInstance;
import dev.kos.schema.RebalanceKafkaCluster;
import dev.kos.schema.RegisterFramework;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.RestartApp;
import dev.kos.schema.RunJob;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.SetKafkaScalingPolicy;
import dev.kos.schema.SetQuota;
import dev.kos.schema.SetScalingPolicy;
import dev.kos.schema.UndrainAgent;
import dev.kos.schema.UpgradeKafkaCluster;
import dev.kos.schema.UpdateApp;

/**
 * The target id of a command, its key on {@code kos.commands}: all commands about one app
 * (or job, role, agent, framework) land on one partition, so their handler sees them in order.
 */
public final class CommandTargets {

  private CommandTargets() {
  }

  public static String targetOf(Command command) {
    Object payload = command.getPayload();
    if (payload instanceof DeployApp p) {
      return p.getApp().getId();
    } else if (payload instanceof UpdateApp p) {
      return p.getApp().getId();
    } else if (payload instanceof ScaleApp p) {
      return p.getAppId();
    } else if (payload instanceof RestartApp p) {
      return p.getAppId();
    } else if (payload instanceof RemoveApp p) {
      return p.getAppId();
    } else if (payload instanceof KillInstance p) {
      return p.getTaskId();
    } else if (payload instanceof RunJob p) {
      return p.getJob().getId();
    } else if (payload instanceof RegisterFramework p) {
      return p.getFrameworkId();
    } else if (payload instanceof SetQuota p) {
      return p.getRole();
    } else if (payload instanceof ConfigureRole p) {
      return p.getRole();
    } else if (payload instanceof DrainAgent p) {
      return p.getAgentId();
    } else if (payload instanceof UndrainAgent p) {
      return p.getAgentId();
    } else if (payload instanceof SetScalingPolicy p) {
      return p.getAppId();
    } else if (payload instanceof CreateKafkaCluster p) {
      return p.getName();
    } else if (payload instanceof AddKafkaBrokers p) {
      return p.getName();
    } else if (payload instanceof RemoveKafkaBroker p) {
      return p.getName();
    } else if (payload instanceof ConfigureKafkaCluster p) {
      return p.getName();
    } else if (payload instanceof UpgradeKafkaCluster p) {
      return p.getName();
    } else if (payload instanceof DeleteKafkaCluster p) {
      return p.getName();
    } else if (payload instanceof RebalanceKafkaCluster p) {
      return p.getName();
    } else if (payload instanceof SetKafkaScalingPolicy p) {
      return p.getName();
    }
    throw new IllegalArgumentException("command " + command.getCommandId() + " has no known payload: "
        + (payload == null ? "null" : payload.getClass().getSimpleName()));
  }
}
