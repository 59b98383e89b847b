package dev.kos.lb;

import dev.kos.lb.core.Backend;
import dev.kos.lb.core.BackendChoice;
import dev.kos.lb.core.BackendSet;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * One app's backends as Undertow's proxy sees them. Which backend a request goes to is {@link BackendChoice}'s
 * decision over the requests each has in flight, taken by {@link BackendLoads} (the same as for TCP); Undertow keeps a connection pool per backend (a
 * single-host {@link LoadBalancingProxyClient}). A try that fails hands the request back to Undertow's
 * {@code ProxyHandler}, which asks again (as {@link dev.kos.lb.core.RetryPolicy} allows) and gets another
 * backend: the ones that failed it are excluded.
 */
final class AppBackends implements ProxyClient {

  private static final Logger log = LoggerFactory.getLogger(AppBackends.class);
  private static final ProxyTarget TARGET = new ProxyTarget() { };
  /** The tries of one request: the backend of the current one, and those that failed it. */
  private static final AttachmentKey<Tries> TRIES = AttachmentKey.create(Tries.class);

  /** A backend with its Undertow connection pool and the requests in flight to it. */
  static final class Tries {
    BackendLoads.Slot<LoadBalancingProxyClient> current;
    /** The backend of the latest try; unlike {@code current} it stays once the request is done. */
    Backend last;
    final Set<Backend> failed = new HashSet<>();
    int count;
    /** How often the request went round every backend again after all of them failed it. */
    int rounds;
  }

  /** The pause before a request that every backend failed goes round them again. */
  private static final long ROUND_PAUSE_MILLIS = 100;

  private final String appId;
  private final LbSettings settings;
  private final BackendLoads<LoadBalancingProxyClient> loads;

  AppBackends(String appId, LbSettings settings) {
    this.appId = appId;
    this.settings = settings;
    this.loads = new BackendLoads<>(settings);
  }

  /** Takes a new backend set: new backends get a pool, gone ones take no new requests (in-flight ones finish). */
  void update(BackendSet set) {
    List<Backend> gone = loads.update(set.backends(), this::pool);
    if (!gone.isEmpty()) {
      log.debug("{}: backends now {}, dropped {}", appId, loads.backends(), gone);
    }
  }

  List<Backend> backends() {
    return loads.backends();
  }

  /** The requests in flight per backend, for metrics. */
  Map<Backend, Integer> inFlight() {
    return loads.inFlight();
  }

  private LoadBalancingProxyClient pool(Backend backend) {
    int connections = settings.maxPerBackend() > 0 ? settings.maxPerBackend() : 512;
    return new LoadBalancingProxyClient()
        .setConnectionsPerThread(connections)
        .setSoftMaxConnectionsPerThread(Math.max(1, connections / 4))
        .setMaxQueueSize(connections)
        .setTtl(60_000)
        // A backend that refused is not asked again by this pool for a second; the balancer tries others meanwhile.
        .setProblemServerRetry(1)
        .addHost(URI.create("http://" + backend.address()));
  }

  @Override
  public ProxyTarget findTarget(HttpServerExchange exchange) {
    return TARGET;
  }

  @Override
  public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
      long timeout, TimeUnit timeUnit) {
    Tries tries = exchange.getAttachment(TRIES);
    if (tries == null) {
      Tries created = new Tries();
      tries = created;
      exchange.putAttachment(TRIES, created);
      exchange.addExchangeCompleteListener((done, next) -> {
        release(created);
        next.proceed();
      });
    } else if (tries.current != null) {
      // Undertow asks again after a try that broke after sending: that backend failed this request.
      tries.failed.add(tries.current.backend);
      tries.current.failed();
      release(tries);
    }
    tries.count++;
    Optional<BackendLoads.Slot<LoadBalancingProxyClient>> chosen = loads.take(tries.failed);
    if (chosen.isEmpty() && loads.allFailed(tries.failed) && tries.rounds < settings.retries().maxAttempts()) {
      // Every backend failed this request once (a burst on a starved machine, or a set that just shrank to a few):
      // it goes round them again after a pause, within its tries, rather than failing at once.
      tries.rounds++;
      tries.failed.clear();
      tries.count--;
      exchange.getIoThread().executeAfter(() -> getConnection(target, exchange, callback, timeout, timeUnit),
          ROUND_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    if (chosen.isEmpty()) {
      callback.couldNotResolveBackend(exchange);
      return;
    }
    BackendLoads.Slot<LoadBalancingProxyClient> handle = chosen.get();
    tries.current = handle;
    tries.last = handle.backend;
    Tries these = tries;
    // This try ends once: with a connection, a failure, or the connect timeout, whichever comes first. A backend that
    // takes no connection (its accept queue full, its host dropping packets) would otherwise hold the request until
    // the kernel gives up on the connection, minutes later; past the timeout it counts as refusing and the request
    // goes elsewhere.
    AtomicBoolean settled = new AtomicBoolean();
    long connectMillis = settings.connectTimeout().toMillis();
    XnioExecutor.Key deadline = connectMillis <= 0 ? null : exchange.getIoThread().executeAfter(() -> {
      if (settled.compareAndSet(false, true) && !exchange.isComplete()) {
        log.debug("{}: {} took no connection within {} ms (try {})", appId, handle.backend, connectMillis,
            these.count);
        refused(these, exchange, callback);
      }
    }, connectMillis, TimeUnit.MILLISECONDS);
    handle.pool.getConnection(handle.pool.findTarget(exchange), exchange, new ProxyCallback<>() {
      @Override
      public void completed(HttpServerExchange ex, ProxyConnection connection) {
        if (settle()) {
          callback.completed(ex, connection);
        } else {
          // Too late: the request went elsewhere. The pool learns the connection is gone when it closes.
          IoUtils.safeClose(connection.getConnection());
        }
      }

      @Override
      public void failed(HttpServerExchange ex) {
        if (settle()) {
          refused(these, ex, callback);
        }
      }

      @Override
      public void couldNotResolveBackend(HttpServerExchange ex) {
        if (settle()) {
          refused(these, ex, callback);
        }
      }

      @Override
      public void queuedRequestFailed(HttpServerExchange ex) {
        if (settle()) {
          refused(these, ex, callback);
        }
      }

      private boolean settle() {
        if (!settled.compareAndSet(false, true)) {
          return false;
        }
        if (deadline != null) {
          deadline.remove();
        }
        return true;
      }
    }, timeout, timeUnit);
  }

  /** The backend could not take the request (refused, no connection): Undertow may try again, elsewhere. */
  private void refused(Tries tries, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback) {
    BackendLoads.Slot<LoadBalancingProxyClient> handle = tries.current;
    if (handle != null) {
      tries.failed.add(handle.backend);
      handle.failed();
      log.debug("{}: {} refused a request (try {})", appId, handle.backend, tries.count);
    }
    release(tries);
    callback.failed(exchange);
  }

  private static void release(Tries tries) {
    if (tries.current != null) {
      tries.current.release();
      tries.current = null;
    }
  }

  /** How many tries the request took (0 if it never reached the balancing). */
  static int tries(HttpServerExchange exchange) {
    Tries tries = exchange.getAttachment(TRIES);
    return tries == null ? 0 : tries.count;
  }

  /** The backend the request's last try went to, for the access log. */
  static Optional<Backend> lastBackend(HttpServerExchange exchange) {
    Tries tries = exchange.getAttachment(TRIES);
    return tries == null ? Optional.empty() : Optional.ofNullable(tries.last);
  }
}
