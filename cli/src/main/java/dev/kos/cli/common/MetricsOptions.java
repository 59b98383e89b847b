package dev.kos.cli.common;

import dev.kos.bus.metrics.MetricsServer;
import dev.kos.bus.metrics.MetricsSettings;
import dev.kos.bus.metrics.ProcessMetrics;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --metrics-port} and {@code --metrics-host} of the long-running commands (allocator, agent, frameworks,
 * lb, up): where the process serves its Prometheus page. On by default, on a free port of 127.0.0.1 that the command
 * prints, so two kos processes on one machine never fight over a port; give a fixed port (and 0.0.0.0) for a
 * Prometheus to scrape.
 */
public final class MetricsOptions {

  @FromEnvironment
  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "" + MetricsSettings.DEFAULT_PORT,
      description = MetricsSettings.PORT_DOC + " (env KOS_METRICS_PORT; default: ${DEFAULT-VALUE})")
  int port;

  @FromEnvironment
  @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = MetricsSettings.DEFAULT_HOST,
      description = MetricsSettings.HOST_DOC + " (env KOS_METRICS_HOST; default: ${DEFAULT-VALUE})")
  String host;

  /** The settings, or a usage problem (exit code 2) that says what to change. */
  public MetricsSettings settings() {
    try {
      return new MetricsSettings(host, port);
    } catch (IllegalArgumentException e) {
      throw new UsageProblem(e.getMessage());
    }
  }

  /**
   * Serves the process's registry as the options say and prints where; empty with {@code --metrics-port -1}. Call it
   * before starting the component, so a port in use fails the command before anything else started.
   */
  public Optional<MetricsServer> serve(PrintWriter out) {
    return serve(settings(), out);
  }

  /** As {@link #serve(PrintWriter)}, with settings checked before the command started anything. */
  public static Optional<MetricsServer> serve(MetricsSettings settings, PrintWriter out) {
    Optional<MetricsServer> server;
    try {
      server = MetricsServer.start(settings, ProcessMetrics.registry());
    } catch (UncheckedIOException e) {
      throw new UsageProblem(e.getMessage());
    }
    server.ifPresent(s -> {
      out.println("metrics at " + s.url());
      out.flush();
    });
    return server;
  }

  /** Closes what {@link #serve} started. */
  public static void close(Optional<MetricsServer> server) {
    server.ifPresent(MetricsServer::close);
  }
}
