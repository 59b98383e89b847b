package dev.kos.bus.metrics;

import java.util.Objects;

/**
 * Where a process serves its {@code /metrics}: {@code --metrics-host} and {@code --metrics-port}.
 *
 * @param host the address to bind; the default, 127.0.0.1, keeps the page on this machine (it is served without a
 *     token), 0.0.0.0 opens it to a Prometheus elsewhere
 * @param port the port; 0 picks a free one (the process prints which), {@link #OFF} serves none
 */
public record MetricsSettings(String host, int port) {

  /** The port that turns the page off. */
  public static final int OFF = -1;
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 0;
  /** What {@code --help} and the docs say of the two settings. */
  public static final String PORT_DOC = "Serve this process's Prometheus metrics at http://HOST:PORT/metrics; 0 picks a "
      + "free port (printed at start), -1 serves none";
  public static final String HOST_DOC = "The address the metrics page binds; 0.0.0.0 lets a Prometheus on another "
      + "machine scrape it (the page has no token)";

  public MetricsSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("the metrics host is empty; give an address such as 127.0.0.1 or 0.0.0.0");
    }
    if (port < OFF || port > 65_535) {
      throw new IllegalArgumentException("the metrics port must be 0 to 65535, or -1 for none; it was " + port);
    }
  }

  public static MetricsSettings defaults() {
    return new MetricsSettings(DEFAULT_HOST, DEFAULT_PORT);
  }

  public boolean enabled() {
    return port != OFF;
  }

  /** The page's address once bound to {@code boundPort}; a wildcard host is shown as this machine's loopback. */
  public String url(int boundPort) {
    String shown = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    if (shown.contains(":") && !shown.startsWith("[")) {
      shown = "[" + shown + "]";
    }
    return "http://" + shown + ":" + boundPort + MetricsServer.PATH;
  }
}
