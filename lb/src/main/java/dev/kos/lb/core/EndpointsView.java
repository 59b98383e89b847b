package dev.kos.lb.core;

import java.util.List;
import java.util.Optional;

/**
 * An app's endpoints record as the balancer reads it (the plain form of {@code AppEndpoints} on
 * {@code kos.endpoints}).
 *
 * @param portNames the app's port names in order; each instance's ports follow it
 * @param servicePort the port the app asks to be reached on through a balancer, if any
 * @param portName which of the app's ports takes the traffic ("" for the first)
 * @param protocol how the balancer proxies the app: "http" or "tcp" (as the record says; {@link BackendSets} judges it)
 */
public record EndpointsView(String appId, List<String> portNames, List<InstanceView> instances,
    Optional<Integer> servicePort, String portName, String protocol) {

  public EndpointsView {
    portNames = List.copyOf(portNames);
    instances = List.copyOf(instances);
  }

  /** An app proxied as HTTP, the default of the record. */
  public EndpointsView(String appId, List<String> portNames, List<InstanceView> instances,
      Optional<Integer> servicePort, String portName) {
    this(appId, portNames, instances, servicePort, portName, Protocol.HTTP.wire());
  }

  /** One serving instance, by its current task: the framework lists only instances that are RUNNING and healthy. */
  public record InstanceView(String taskId, String host, List<Integer> ports) {

    public InstanceView {
      ports = List.copyOf(ports);
    }
  }
}
