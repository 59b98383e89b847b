package dev.kos.lb;

import dev.kos.lb.core.BackendSet;
import dev.kos.lb.core.BackendSets;
import dev.kos.lb.core.EndpointsView;
import dev.kos.lb.core.ListenPlan;
import dev.kos.lb.core.PathRoutes;
import dev.kos.lb.core.Protocol;
import dev.kos.lb.core.RetryPolicy;
import dev.kos.lb.core.Served;
import io.undertow.Undertow;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.ResponseCodeHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The balancer on Undertow and XNIO: a listener per app that has a service port, and optionally one shared
 * listener that routes {@code /APP-ID/...} to HTTP apps by path ({@link PathRoutes}). A TCP app's connections go to
 * its {@link TcpRelay}. Each app's requests go through
 * Undertow's {@link ProxyHandler} (X-Forwarded-For/-Host/-Proto/-Port, connection pools, retries) to
 * {@link AppBackends}, which picks the backend. {@link #apply} takes each change of {@code kos.endpoints}.
 */
public final class EdgeServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EdgeServer.class);

  /** One app: its backends and the proxy in front of them (HTTP: {@code backends}, {@code proxy}; TCP: {@code tcp}). */
  private record App(BackendSet set, AppBackends backends, HttpHandler proxy, TcpRelay tcp) {

    App with(BackendSet next) {
      return new App(next, backends, proxy, tcp);
    }

    void update(BackendSet next) {
      if (tcp != null) {
        tcp.update(next);
      } else {
        backends.update(next);
      }
    }

    List<dev.kos.lb.core.Backend> current() {
      return tcp != null ? tcp.backends() : backends.backends();
    }

    Map<dev.kos.lb.core.Backend, Integer> inFlight() {
      return tcp != null ? tcp.inFlight() : backends.inFlight();
    }
  }

  private final LbSettings settings;
  private final Clock clock;
  private final Consumer<Served> served;
  private final XnioWorker worker;
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  /** The listener on each service port: an Undertow server (HTTP) or an accepting channel (TCP). */
  private final Map<Integer, Closeable> listeners = new HashMap<>();
  private final ByteBufferPool buffers = new DefaultByteBufferPool(true, 16 * 1024);
  private Map<Integer, String> appByPort = Map.of();
  private Undertow pathListener;

  /** @param served hears of every request answered (access log, metrics), on an I/O thread: it must not block */
  public EdgeServer(LbSettings settings, Clock clock, Consumer<Served> served) {
    this.settings = settings;
    this.clock = clock;
    this.served = served;
    try {
      int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
      this.worker = Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
          .set(Options.WORKER_IO_THREADS, ioThreads)
          .set(Options.WORKER_TASK_CORE_THREADS, ioThreads * 4)
          .set(Options.WORKER_TASK_MAX_THREADS, ioThreads * 4)
          .set(Options.TCP_NODELAY, true)
          .getMap());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the balancer's I/O threads", e);
    }
  }

  /** Opens the path-routing listener, if the settings ask for one. */
  public synchronized EdgeServer start() {
    settings.pathPort().ifPresent(port -> {
      pathListener = listen(port, this::routeByPath);
      log.info("kos lb {}: path routes on {}:{} (/APP-ID/... reaches app APP-ID)", settings.name(),
          settings.bindHost(), listeningPort(pathListener));
    });
    return this;
  }

  /** An app's endpoints changed: {@code view} is its new record, empty once the app is gone. */
  public synchronized void apply(String appId, Optional<EndpointsView> view) {
    if (view.isEmpty()) {
      if (apps.remove(appId) != null) {
        log.info("kos lb {}: {} is gone", settings.name(), appId);
      }
    } else {
      BackendSet set = BackendSets.of(view.get());
      App before = apps.get(appId);
      // Each reason once, when it first appears: an app's record changes with every instance that starts or stops.
      List<String> known = before == null ? List.of() : before.set().skipped();
      set.skipped().stream().filter(reason -> !known.contains(reason))
          .forEach(reason -> log.warn("kos lb {}: {}: left out {}", settings.name(), appId, reason));
      if (before != null && BackendSets.sameTargets(before.set(), set)) {
        apps.put(appId, before.with(set));
        return;
      }
      if (before != null && before.set().protocol() != set.protocol()) {
        // The app now speaks another protocol: its listener is of the wrong kind. It is opened again below.
        closeListenerOf(appId);
        before = null;
      }
      App app = before != null ? before.with(set) : newApp(appId, set);
      app.update(set);
      apps.put(appId, app);
      log.info("kos lb {}: {} -> {}", settings.name(), appId,
          set.backends().stream().map(b -> b.taskId() + "@" + b.address()).toList());
    }
    relisten();
  }

  private App newApp(String appId, BackendSet set) {
    if (set.protocol() == Protocol.TCP) {
      return new App(set, null, null, new TcpRelay(appId, settings, clock, buffers, served));
    }
    AppBackends backends = new AppBackends(appId, settings);
    RetryPolicy retries = settings.retries();
    HttpHandler proxy = ProxyHandler.builder()
        .setProxyClient(backends)
        .setMaxConnectionRetries(retries.maxAttempts() - 1)
        .setIdempotentRequestPredicate(exchange -> retries.mayRetry(exchange.getRequestMethod().toString(),
            RetryPolicy.Failure.BROKEN_AFTER_SEND, AppBackends.tries(exchange)))
        .setReuseXForwarded(false)
        .setRewriteHostHeader(false)
        .setNext(ResponseCodeHandler.HANDLE_404)
        .build();
    return new App(set, backends, proxy, null);
  }

  private void closeListenerOf(String appId) {
    Map<Integer, String> next = new HashMap<>(appByPort);
    appByPort.forEach((port, holder) -> {
      if (holder.equals(appId)) {
        IoUtils.safeClose(listeners.remove(port));
        next.remove(port);
        log.info("kos lb {}: closed port {} ({} changed protocol)", settings.name(), port, appId);
      }
    });
    appByPort = Map.copyOf(next);
  }

  /** Opens the ports apps now ask for and closes those no app asks for any more. */
  private void relisten() {
    Map<String, Integer> wanted = new LinkedHashMap<>();
    apps.forEach((id, app) -> app.set().listenPort().ifPresent(port -> wanted.put(id, port)));
    Set<Integer> reserved = settings.pathPort().map(Set::of).orElse(Set.of());
    ListenPlan.Result plan = ListenPlan.plan(appByPort, wanted, reserved);
    plan.conflicts().forEach(conflict -> log.warn("kos lb {}: {}", settings.name(), conflict));
    Map<Integer, String> next = new HashMap<>(plan.appByPort());
    appByPort.forEach((port, appId) -> {
      if (!appId.equals(next.get(port))) {
        Closeable listener = listeners.remove(port);
        if (listener != null) {
          IoUtils.safeClose(listener);
          log.info("kos lb {}: closed port {} ({})", settings.name(), port, appId);
        }
      }
    });
    plan.appByPort().forEach((port, appId) -> {
      if (!listeners.containsKey(port)) {
        try {
          App app = apps.get(appId);
          if (app.tcp() != null) {
            listeners.put(port, listenTcp(port, appId));
          } else {
            Undertow server = listen(port, exchange -> handle(exchange, appId, apps.get(appId)));
            listeners.put(port, server::stop);
          }
          log.info("kos lb {}: {}:{} -> {} ({})", settings.name(), settings.bindHost(), port, appId,
              app.set().protocol().wire());
        } catch (RuntimeException e) {
          log.error("kos lb {}: cannot listen on port {} for {}: {}", settings.name(), port, appId, e.toString());
          next.remove(port);
        }
      }
    });
    appByPort = Map.copyOf(next);
  }

  private Undertow listen(int port, HttpHandler handler) {
    Undertow server = Undertow.builder().setWorker(worker).addHttpListener(port, settings.bindHost(), handler).build();
    server.start();
    return server;
  }

  /**
   * A TCP app's service port: each connection goes to the app's relay as it is then (an app gone, or no longer TCP,
   * closes it).
   */
  private Closeable listenTcp(int port, String appId) {
    try {
      AcceptingChannel<StreamConnection> server = worker.createStreamConnectionServer(
          new InetSocketAddress(settings.bindHost(), port), channel -> {
            try {
              for (StreamConnection client = channel.accept(); client != null; client = channel.accept()) {
                App app = apps.get(appId);
                if (app == null || app.tcp() == null) {
                  IoUtils.safeClose(client);
                } else {
                  app.tcp().accept(client);
                }
              }
            } catch (IOException e) {
              log.warn("kos lb {}: accepting on port {} ({}): {}", settings.name(), port, appId, e.toString());
            }
          }, OptionMap.create(Options.REUSE_ADDRESSES, true, Options.TCP_NODELAY, true));
      server.resumeAccepts();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + settings.bindHost() + ":" + port, e);
    }
  }

  private void routeByPath(HttpServerExchange exchange) throws Exception {
    // Only HTTP apps have path routes: a TCP app's bytes are not HTTP requests.
    List<String> httpApps = apps.entrySet().stream().filter(e -> e.getValue().tcp() == null).map(Map.Entry::getKey)
        .toList();
    Optional<PathRoutes.Match> match = PathRoutes.match(exchange.getRequestPath(), httpApps);
    if (match.isEmpty()) {
      exchange.setStatusCode(404);
      exchange.getResponseSender().send("kos lb: no app serves " + exchange.getRequestPath() + "\n");
      return;
    }
    String appId = match.get().appId();
    // The app sees the path below its id: the proxy strips the resolved prefix.
    exchange.setResolvedPath(appId.endsWith("/") ? appId.substring(0, appId.length() - 1) : appId);
    handle(exchange, appId, apps.get(appId));
  }

  private void handle(HttpServerExchange exchange, String appId, App app) throws Exception {
    long start = System.nanoTime();
    String path = exchange.getRequestURI();
    exchange.addExchangeCompleteListener((done, next) -> {
      try {
        served.accept(new Served(clock.instant(), appId, clientOf(done), done.getRequestMethod().toString(), path,
            done.getStatusCode(), (System.nanoTime() - start) / 1000, AppBackends.lastBackend(done),
            AppBackends.tries(done)));
      } finally {
        next.proceed();
      }
    });
    if (app == null || app.proxy() == null) {
      exchange.setStatusCode(503);
      exchange.getResponseSender().send("kos lb: " + appId + " has no endpoints\n");
      return;
    }
    app.proxy().handleRequest(exchange);
  }

  private static String clientOf(HttpServerExchange exchange) {
    InetSocketAddress peer = exchange.getSourceAddress();
    return peer == null ? "-" : peer.getAddress() == null ? peer.getHostString() : peer.getAddress().getHostAddress();
  }

  /** The port each app is served on now. */
  public synchronized Map<Integer, String> ports() {
    return appByPort;
  }

  /** The port of the path-routing listener (resolves 0 to the port it got). */
  public synchronized Optional<Integer> pathPort() {
    return Optional.ofNullable(pathListener).map(EdgeServer::listeningPort);
  }

  /** Each app's backends and the requests in flight to each, for metrics. */
  public Map<String, Map<dev.kos.lb.core.Backend, Integer>> inFlight() {
    Map<String, Map<dev.kos.lb.core.Backend, Integer>> all = new LinkedHashMap<>();
    apps.forEach((id, app) -> all.put(id, app.inFlight()));
    return all;
  }

  /** The backends each app's requests go to now. */
  public Map<String, List<dev.kos.lb.core.Backend>> backends() {
    Map<String, List<dev.kos.lb.core.Backend>> all = new LinkedHashMap<>();
    apps.forEach((id, app) -> all.put(id, app.current()));
    return all;
  }

  private static int listeningPort(Undertow server) {
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  @Override
  public synchronized void close() {
    listeners.values().forEach(IoUtils::safeClose);
    listeners.clear();
    if (pathListener != null) {
      pathListener.stop();
    }
    worker.shutdown();
    buffers.close();
  }
}
