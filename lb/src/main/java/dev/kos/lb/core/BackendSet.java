package dev.kos.lb.core;

import java.util.List;
import java.util.Optional;

/**
 * Where an app's requests may go now: its backends, the port the balancer listens on for it (if it asked for
 * one), how it proxies them, and the instances left out with the reason (an operator reads them in the log).
 */
public record BackendSet(String appId, Optional<Integer> listenPort, List<Backend> backends, List<String> skipped,
    Protocol protocol) {

  public BackendSet {
    backends = List.copyOf(backends);
    skipped = List.copyOf(skipped);
  }

  /** An HTTP app's set. */
  public BackendSet(String appId, Optional<Integer> listenPort, List<Backend> backends, List<String> skipped) {
    this(appId, listenPort, backends, skipped, Protocol.HTTP);
  }
}
