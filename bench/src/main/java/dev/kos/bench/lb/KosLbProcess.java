package dev.kos.bench.lb;

import dev.kos.lb.EdgeServer;
import dev.kos.lb.LbSettings;
import dev.kos.lb.core.EndpointsView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kos lb's HTTP side in a process of its own, as in production, with its backends given on the command line instead
 * of read from kos.endpoints (the bus plays no part in a request's path): {@code KosLbProcess LISTEN-PORT
 * BACKEND-PORT...} serves app /bench on LISTEN-PORT with backends 127.0.0.1:BACKEND-PORT, prints "ready" and runs
 * until its standard input closes. The access log and metrics go nowhere (a no-op listener), so they cost only
 * what building the record costs.
 */
public final class KosLbProcess {

  private KosLbProcess() {
  }

  public static void main(String[] args) throws Exception {
    int listen = Integer.parseInt(args[0]);
    List<EndpointsView.InstanceView> instances = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      instances.add(new EndpointsView.InstanceView("bench.b" + i + ".0", "127.0.0.1",
          List.of(Integer.parseInt(args[i]))));
    }
    try (EdgeServer edge = new EdgeServer(LbSettings.defaults("bench").withBindHost("127.0.0.1"), Clock.systemUTC(),
        served -> served.line())) {
      edge.start();
      edge.apply("/bench", Optional.of(new EndpointsView("/bench", List.of("http"), instances, Optional.of(listen),
          "http")));
      System.out.println("ready");
      System.out.flush();
      while (System.in.read() >= 0) {
        // Runs until the benchmark closes our standard input (or ends).
      }
    }
  }
}
