package dev.kos.lb.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds an app's backend set from its endpoints record. The framework lists only instances that serve
 * (RUNNING, and healthy when the app has a health check), so every listed instance with a usable port is a
 * backend; one without the port the app routes by, or with a port no one could connect to, is left out with a
 * reason rather than guessed at. Pure.
 */
public final class BackendSets {

  private BackendSets() {
  }

  public static BackendSet of(EndpointsView view) {
    Optional<Protocol> protocol = Protocol.of(view.protocol() == null || view.protocol().isEmpty() ? "http"
        : view.protocol());
    if (protocol.isEmpty()) {
      // A newer framework's protocol: guessing would send bytes the app does not expect. No port, no backends.
      return new BackendSet(view.appId(), Optional.empty(), List.of(), List.of("the app asks for protocol '"
          + view.protocol() + "', which this balancer does not proxy (http, tcp); it is not served"), Protocol.HTTP);
    }
    return of(view, protocol.get());
  }

  private static BackendSet of(EndpointsView view, Protocol protocol) {
    int index = portIndex(view);
    List<Backend> backends = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    if (definesNoPort(view)) {
      // A batch app or a worker: nothing to route to, and nothing wrong with its instances.
      return new BackendSet(view.appId(), view.servicePort().filter(p -> p > 0), backends, skipped, protocol);
    }
    if (index < 0) {
      skipped.add("the app routes by port '" + view.portName() + "', which it does not define (ports: "
          + view.portNames() + "); no instance is used");
    }
    for (EndpointsView.InstanceView instance : view.instances()) {
      if (index < 0) {
        break;
      }
      if (instance.host() == null || instance.host().isBlank()) {
        skipped.add(instance.taskId() + ": no host");
      } else if (index >= instance.ports().size()) {
        skipped.add(instance.taskId() + ": has " + instance.ports().size() + " port(s), needs port #" + index);
      } else {
        int port = instance.ports().get(index);
        if (port < 1 || port > 65_535) {
          skipped.add(instance.taskId() + ": port " + port + " is not a TCP port");
        } else if (!seen.add(instance.host() + ":" + port)) {
          skipped.add(instance.taskId() + ": " + instance.host() + ":" + port + " is listed twice");
        } else {
          backends.add(new Backend(instance.taskId(), instance.host(), port));
        }
      }
    }
    return new BackendSet(view.appId(), view.servicePort().filter(p -> p > 0), backends, skipped, protocol);
  }

  /** An app that names no port and whose instances hold none: it serves nothing, so no instance is left out. */
  static boolean definesNoPort(EndpointsView view) {
    return view.portNames().isEmpty() && view.instances().stream().allMatch(instance -> instance.ports().isEmpty());
  }

  /** The index of the port requests go to: the named one, else the first; -1 if the name is unknown. */
  static int portIndex(EndpointsView view) {
    if (view.portName() == null || view.portName().isEmpty()) {
      return 0;
    }
    return view.portNames().indexOf(view.portName());
  }

  /** Whether two sets send requests to the same places: a changed record with the same backends changes nothing. */
  public static boolean sameTargets(BackendSet a, BackendSet b) {
    return a.backends().equals(b.backends()) && a.listenPort().equals(b.listenPort())
        && a.protocol() == b.protocol();
  }

  /** An empty set for an app whose endpoints record is gone. */
  public static BackendSet none(String appId) {
    return new BackendSet(appId, Optional.empty(), List.of(), List.of());
  }
}
