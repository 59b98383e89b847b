package dev.kos.bus.access;

import dev.kos.bus.client.Answerer;
import dev.kos.schema.AddKafkaBrokers;
import dev.kos.schema.ConfigureKafkaCluster;
import dev.kos.schema.ConfigureRole;
import dev.kos.schema.RegisterFramework;
import dev.kos.schema.SetQuota;
import dev.kos.schema.CreateKafkaCluster;
import dev.kos.schema.DeleteKafkaCluster;
import dev.kos.schema.RebalanceKafkaCluster;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.KillInstance;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.RemoveKafkaBroker;
import dev.kos.schema.RestartApp;
import dev.kos.schema.RunJob;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.SetKafkaScalingPolicy;
import dev.kos.schema.SetScalingPolicy;
import dev.kos.schema.UndrainAgent;
import dev.kos.schema.UpdateApp;
import dev.kos.schema.UpgradeKafkaCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;

/**
 * A kind of command the API publishes: the payload record of {@code Command.avsc} it carries, the permission it needs
 * and who answers it. Every command kind is listed here, so this table with {@link dev.kos.bus.access.Access} is where
 * the API decides who may command what. The allocator answers the cluster's configuration (SetQuota, ConfigureRole,
 * RegisterFramework), which needs {@code admin} on the whole cluster.
 *
 * @param scope role-scoped kinds need {@code verb} in the command's role, and in the role the payload runs in, if it
 *     names one; cluster-scoped ones need it on the whole cluster
 * @param payloadRole the role the payload itself runs in (an app's or a job's), if it names one
 */
public record CommandKind(String name, Class<? extends SpecificRecord> payload, Verb verb, Permission.Scope scope,
    Answerer answerer, Function<SpecificRecord, Optional<String>> payloadRole) {

  private static final Map<String, CommandKind> KINDS = new LinkedHashMap<>();
  private static final Map<Class<?>, CommandKind> BY_PAYLOAD = new LinkedHashMap<>();

  static {
    apps(DeployApp.class, p -> Optional.of(((DeployApp) p).getApp().getRole()));
    apps(UpdateApp.class, p -> Optional.of(((UpdateApp) p).getApp().getRole()));
    apps(ScaleApp.class, p -> Optional.empty());
    apps(RestartApp.class, p -> Optional.empty());
    apps(RemoveApp.class, p -> Optional.empty());
    apps(KillInstance.class, p -> Optional.empty());
    apps(SetScalingPolicy.class, p -> Optional.empty());
    add(new CommandKind("RunJob", RunJob.class, Verb.OPERATE, Permission.Scope.ROLE, Answerer.JOBS_FRAMEWORK,
        p -> Optional.of(((RunJob) p).getJob().getRole())));
    for (Class<? extends SpecificRecord> kafka : List.of(CreateKafkaCluster.class, AddKafkaBrokers.class,
        RemoveKafkaBroker.class, ConfigureKafkaCluster.class, UpgradeKafkaCluster.class, DeleteKafkaCluster.class,
        RebalanceKafkaCluster.class, SetKafkaScalingPolicy.class)) {
      add(new CommandKind(kafka.getSimpleName(), kafka, Verb.OPERATE, Permission.Scope.ROLE,
          Answerer.KAFKA_FRAMEWORK, p -> Optional.empty()));
    }
    for (Class<? extends SpecificRecord> agent : List.of(DrainAgent.class, UndrainAgent.class)) {
      add(new CommandKind(agent.getSimpleName(), agent, Verb.ADMIN, Permission.Scope.CLUSTER, Answerer.ALLOCATOR,
          p -> Optional.empty()));
    }
    for (Class<? extends SpecificRecord> cluster : List.of(SetQuota.class, ConfigureRole.class,
        RegisterFramework.class)) {
      add(new CommandKind(cluster.getSimpleName(), cluster, Verb.ADMIN, Permission.Scope.CLUSTER, Answerer.ALLOCATOR,
          p -> Optional.empty()));
    }
  }

  private static void apps(Class<? extends SpecificRecord> payload, Function<SpecificRecord, Optional<String>> role) {
    add(new CommandKind(payload.getSimpleName(), payload, Verb.OPERATE, Permission.Scope.ROLE,
        Answerer.APPS_FRAMEWORK, role));
  }

  private static void add(CommandKind kind) {
    KINDS.put(kind.name(), kind);
    BY_PAYLOAD.put(kind.payload(), kind);
  }

  /** The kind of a command's payload, offered or not; empty only for a payload type this table misses. */
  public static Optional<CommandKind> of(SpecificRecord payload) {
    return Optional.ofNullable(BY_PAYLOAD.get(payload.getClass()));
  }

  /** The kind named as in Command.avsc (ScaleApp, DrainAgent ...). */
  public static Optional<CommandKind> named(String name) {
    return Optional.ofNullable(KINDS.get(name));
  }

  public static List<String> names() {
    return List.copyOf(KINDS.keySet());
  }

  /** The permissions sending this payload in {@code commandRole} needs. */
  public List<Permission> permissions(SpecificRecord value, String commandRole) {
    if (scope == Permission.Scope.CLUSTER) {
      return List.of(Permission.cluster(verb));
    }
    List<Permission> needed = new ArrayList<>(List.of(Permission.inRole(verb, commandRole)));
    payloadRole.apply(value).filter(role -> !role.equals(commandRole))
        .ifPresent(role -> needed.add(Permission.inRole(verb, role)));
    return needed;
  }
}
