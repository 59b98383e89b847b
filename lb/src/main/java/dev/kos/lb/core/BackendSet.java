package dev.kos.lb.core;

import java.util.List;
import java.util.Optional;

/**
 * Where an app's requests may go now: its backends, the port the balancer listens on for it (if it asked for
 * one), and the instances left out with the reason (an operator reads them in the log).
 */
public record BackendSet(String appId, Optional<Integer> listenPort, List<Backend> backends, List<String> skipped) {

  public BackendSet {
    backends = List.copyOf(backends);
    skipped = List.copyOf(skipped);
  }
}
