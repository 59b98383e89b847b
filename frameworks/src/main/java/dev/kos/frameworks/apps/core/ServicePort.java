package dev.kos.frameworks.apps.core;

/**
 * The port an app is reached on through {@code kos lb} (the spec's {@code loadBalancer}): unique across apps,
 * so every balancer can listen on it for this app alone.
 *
 * @param protocol how the balancer proxies it: {@value #HTTP} (requests, with X-Forwarded-* headers and retries) or
 *     {@value #TCP} (each connection relayed byte for byte to one instance)
 * @param portName which of the app's ports takes the traffic ("" for its first)
 */
public record ServicePort(int port, String protocol, String portName) {

  public static final String HTTP = "http";
  public static final String TCP = "tcp";
  /** The protocols kos lb proxies. */
  public static final java.util.List<String> PROTOCOLS = java.util.List.of(HTTP, TCP);
}
