package dev.kos.lb.core;

import java.util.Arrays;
import java.util.Optional;

/** How the balancer proxies an app on its service port (the record's {@code loadBalancer.protocol}). */
public enum Protocol {
  /** Requests through Undertow's reverse proxy, with X-Forwarded-* headers, retries and an access log line each. */
  HTTP,
  /** Each connection relayed byte for byte to one backend. */
  TCP;

  /** The name on the wire: "http", "tcp". */
  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The protocol a record names; empty for one this balancer does not know (a newer framework's). */
  public static Optional<Protocol> of(String wire) {
    return Arrays.stream(values()).filter(p -> p.wire().equals(wire)).findFirst();
  }
}
