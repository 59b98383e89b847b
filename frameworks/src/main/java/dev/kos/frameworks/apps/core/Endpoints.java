package dev.kos.frameworks.apps.core;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each app is reached: the instances that serve now ({@link Instance#serves()}: RUNNING, and healthy when
 * its version has health checks), with the agent's host and the ports each was launched with. An instance that is
 * being killed, is starting or failed its health check is not among them, so whoever routes by this sends it
 * nothing. Pure: apps and instances in, one value per app out.
 */
public final class Endpoints {

  /** One serving instance. */
  public record Endpoint(String instanceId, String taskId, String agentId, String host, List<Integer> ports,
      String version) {

    public Endpoint {
      ports = List.copyOf(ports);
    }
  }

  /**
   * The endpoints of one app.
   *
   * @param portNames the app's port names in order ("" for an unnamed port); each endpoint's ports follow it
   * @param loadBalancer the app's service port, so a balancer knows where to listen for it
   */
  public record AppEndpoints(String appId, String version, List<String> portNames, List<Endpoint> endpoints,
      Optional<ServicePort> loadBalancer) {

    public AppEndpoints {
      portNames = List.copyOf(portNames);
      endpoints = List.copyOf(endpoints);
    }
  }

  private Endpoints() {
  }

  /** Every app's endpoints, by app id, in id order; an app with no serving instance has an empty list. */
  public static Map<String, AppEndpoints> of(Map<String, AppDefinition> apps, List<Instance> instances) {
    Map<String, AppEndpoints> byApp = new LinkedHashMap<>();
    apps.keySet().stream().sorted().forEach(appId -> byApp.put(appId, of(apps.get(appId), instances)));
    return byApp;
  }

  static AppEndpoints of(AppDefinition app, List<Instance> instances) {
    List<Endpoint> serving = instances.stream()
        .filter(i -> i.appId().equals(app.id()) && i.serves())
        .sorted(Comparator.comparing(Instance::instanceId))
        .map(i -> new Endpoint(i.instanceId(), i.taskId(), i.agent().agentId(), i.agent().hostname(), i.ports(),
            i.version()))
        .toList();
    List<String> names = app.ports().stream().map(p -> Optional.ofNullable(p.name()).orElse("")).toList();
    return new AppEndpoints(app.id(), app.version(), names, serving, app.loadBalancer());
  }
}
