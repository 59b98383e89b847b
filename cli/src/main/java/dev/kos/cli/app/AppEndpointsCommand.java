package dev.kos.cli.app;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.Table;
import dev.kos.bus.client.CompactedTopic;
import dev.kos.cli.results.JsonListing;
import dev.kos.bus.client.TopicReader;
import dev.kos.schema.AppEndpoints;
import dev.kos.schema.AppState;
import dev.kos.schema.Endpoint;
import dev.kos.schema.LoadBalancer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kos app endpoints ID}: where an app is reached now, from {@code kos.endpoints}. */
@Command(name = "endpoints", mixinStandardHelpOptions = true,
    description = {"Where an app is reached: its instances that serve now (RUNNING, and healthy when the app has a",
        "health check), each as host:port per port, from kos.endpoints, which the apps framework keeps.",
        "An instance leaves the list before it is killed (scale down, upgrade, drain) and joins once it serves.",
        "The last line names the app's service port (its spec's loadBalancer), where `kos lb` serves it.",
        "--watch prints each change as it comes (until Ctrl-C, or --max changes).",
        "Exit code 1 when there is no such app."})
public final class AppEndpointsCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Parameters(index = "0", paramLabel = "ID", description = "The app's id, e.g. /team-a/web")
  String appId;

  @Option(names = "--json", description = "As JSON: one AppEndpoints record (with --watch, one per line per change)")
  boolean json;

  @Option(names = "--watch", description = "After the current endpoints, print each change as it comes")
  boolean watch;

  @Option(names = "--max", paramLabel = "N", description = "With --watch: stop after N changes")
  Long max;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ControlBus controlBus = bus.connect();
    CompactedTopic.Latest<AppEndpoints> endpoints = CompactedTopic.read(controlBus, Topics.ENDPOINTS);
    endpoints.warnIfIncomplete(spec.commandLine().getErr());
    AppEndpoints current = endpoints.byKey().get(appId);
    if (current == null) {
      CompactedTopic.Latest<AppState> apps = CompactedTopic.read(controlBus, Topics.APPS);
      if (!apps.byKey().containsKey(appId)) {
        spec.commandLine().getErr().println("kos: no app " + appId + "; `kos app list` shows the apps");
        return 1;
      }
    }
    print(out, current);
    out.flush();
    if (watch) {
      follow(controlBus, out);
    }
    return 0;
  }

  private void follow(ControlBus controlBus, PrintWriter out) {
    long[] changes = {0};
    try (TopicReader reader = new TopicReader(controlBus, "kos-cli-endpoints-watch")) {
      reader.fromEndNow(reader.partitionsOf(Topics.ENDPOINTS));
      Thread watcher = Thread.currentThread();
      reader.follow(record -> {
        if (!appId.equals(TopicReader.keyOf(record)) || max != null && changes[0] >= max) {
          return;
        }
        AppEndpoints next = record.value() == null ? null : reader.decode(Topics.ENDPOINTS, record);
        if (!json) {
          out.println();
          out.println(TIME.format(next == null ? Instant.now() : next.getUpdatedAt()) + " "
              + (next == null ? "the app was removed" : "changed:"));
        }
        print(out, next);
        out.flush();
        if (max != null && ++changes[0] >= max) {
          watcher.interrupt();
        }
      });
    }
  }

  private void print(PrintWriter out, AppEndpoints endpoints) {
    if (json) {
      if (endpoints != null) {
        JsonListing.printOne(out, endpoints);
      } else {
        out.println("null");
      }
      return;
    }
    if (endpoints == null || endpoints.getEndpoints().isEmpty()) {
      out.println("no endpoints: no instance of " + appId + " serves now (`kos app show " + appId + "` says why)");
    } else {
      Table table = new Table("INSTANCE", "ENDPOINTS", "VERSION", "TASK");
      for (Endpoint endpoint : endpoints.getEndpoints()) {
        table.row(endpoint.getInstanceId(), addresses(endpoint, endpoints.getPortNames()), endpoint.getVersion(),
            endpoint.getTaskId());
      }
      table.print(out);
    }
    if (endpoints != null) {
      out.println(servicePort(endpoints));
    }
  }

  /** Where a balancer serves the app: its service port, or how to reach it without one. */
  static String servicePort(AppEndpoints endpoints) {
    LoadBalancer lb = endpoints.getLoadBalancer();
    if (lb == null) {
      return "service port: none (the spec has no \"loadBalancer\"); `kos lb --http-port P` serves "
          + endpoints.getAppId() + " by path at http://LB-HOST:P" + endpoints.getAppId() + "/";
    }
    String portName = lb.getPortName().isEmpty() ? "its first port" : "port " + lb.getPortName();
    String at = "tcp".equals(lb.getProtocol()) ? "LB-HOST:" + lb.getPort() + " (each connection to one instance)"
        : "http://LB-HOST:" + lb.getPort() + "/";
    return "service port: " + lb.getPort() + " (" + lb.getProtocol() + ", to " + portName + "): `kos lb` serves "
        + endpoints.getAppId() + " at " + at;
  }

  /** {@code host:31000 (http), host:31001}: each port, named as the app names it. */
  static String addresses(Endpoint endpoint, List<String> portNames) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < endpoint.getPorts().size(); i++) {
      String name = i < portNames.size() ? portNames.get(i) : "";
      parts.add(endpoint.getHost() + ":" + endpoint.getPorts().get(i) + (name.isEmpty() ? "" : " (" + name + ")"));
    }
    return parts.isEmpty() ? endpoint.getHost() + " (no ports)" : String.join(", ", parts);
  }
}
