package dev.kos.lb.edge;

import dev.kos.lb.core.EndpointsView;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.Endpoint;
import dev.kos.schema.LoadBalancer;
import java.util.Optional;

/** Reads an {@code AppEndpoints} record of {@code kos.endpoints} into the balancer's plain view. */
public final class EndpointsAvro {

  private EndpointsAvro() {
  }

  public static EndpointsView view(AppEndpoints record) {
    Optional<LoadBalancer> lb = Optional.ofNullable(record.getLoadBalancer());
    return new EndpointsView(record.getAppId(), record.getPortNames(),
        record.getEndpoints().stream().map(EndpointsAvro::instance).toList(),
        lb.map(LoadBalancer::getPort), lb.map(LoadBalancer::getPortName).orElse(""),
        lb.map(LoadBalancer::getProtocol).orElse("http"));
  }

  private static EndpointsView.InstanceView instance(Endpoint endpoint) {
    return new EndpointsView.InstanceView(endpoint.getTaskId(), endpoint.getHost(), endpoint.getPorts());
  }
}
