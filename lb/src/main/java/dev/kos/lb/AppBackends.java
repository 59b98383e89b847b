package dev.kos.lb;

import dev.kos.lb.core.Backend;
import dev.kos.lb.core.BackendChoice;
import dev.kos.lb.core.BackendLoad;
import dev.kos.lb.core.BackendSet;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.AttachmentKey;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * One app's backends as Undertow's proxy sees them. Which backend a request goes to is {@link BackendChoice}'s
 * decision over the requests each has in flight; Undertow keeps a connection pool per backend (a
 * single-host {@link LoadBalancingProxyClient}). A try that fails hands the request back to Undertow's
 * {@code ProxyHandler}, which asks again (as {@link dev.kos.lb.core.RetryPolicy} allows) and gets another
 * backend: the ones that failed it are excluded.
 */
final class AppBackends implements ProxyClient {

  private static final Logger log = LoggerFactory.getLogger(AppBackends.class);
  /** How long a backend that failed a request is tried only when no other may take one. */
  private static final long SUSPECT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final ProxyTarget TARGET = new ProxyTarget() { };
  /** The tries of one request: the backend of the current one, and those that failed it. */
  private static final AttachmentKey<Tries> TRIES = AttachmentKey.create(Tries.class);

  /** A backend with its connection pool and the requests in flight to it. */
  static final class Handle {
    final Backend backend;
    final LoadBalancingProxyClient pool;
    final AtomicInteger inFlight = new AtomicInteger();
    /** When it last failed a request (System.nanoTime), or 0. */
    volatile long failedAt;

    boolean failedRecently(long now) {
      long at = failedAt;
      return at != 0 && now - at < SUSPECT_NANOS;
    }

    Handle(Backend backend, LoadBalancingProxyClient pool) {
      this.backend = backend;
      this.pool = pool;
    }
  }

  static final class Tries {
    Handle current;
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
  private final AtomicLong tickets = new AtomicLong();
  private volatile Map<Backend, Handle> handles = Map.of();

  AppBackends(String appId, LbSettings settings) {
    this.appId = appId;
    this.settings = settings;
  }

  /** Takes a new backend set: new backends get a pool, gone ones take no new requests (in-flight ones finish). */
  synchronized void update(BackendSet set) {
    Map<Backend, Handle> next = new LinkedHashMap<>();
    for (Backend backend : set.backends()) {
      Handle handle = handles.get(backend);
      next.put(backend, handle != null ? handle : new Handle(backend, pool(backend)));
    }
    List<Backend> gone = new ArrayList<>(handles.keySet());
    gone.removeAll(next.keySet());
    handles = next;
    if (!gone.isEmpty() || next.size() != set.backends().size()) {
      log.debug("{}: backends now {}, dropped {}", appId, next.keySet(), gone);
    }
  }

  List<Backend> backends() {
    return List.copyOf(handles.keySet());
  }

  /** The requests in flight per backend, for metrics. */
  Map<Backend, Integer> inFlight() {
    Map<Backend, Integer> loads = new LinkedHashMap<>();
    handles.values().forEach(h -> loads.put(h.backend, h.inFlight.get()));
    return loads;
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
      tries.current.failedAt = System.nanoTime();
      release(tries);
    }
    tries.count++;
    long nanos = System.nanoTime();
    Map<Backend, Handle> now = handles;
    List<BackendLoad> loads = new ArrayList<>(now.size());
    now.values().forEach(h -> loads.add(new BackendLoad(h.backend, h.inFlight.get(), h.failedRecently(nanos))));
    Optional<Backend> chosen = BackendChoice.choose(settings.strategy(), loads, settings.maxPerBackend(),
        tries.failed, tickets.getAndIncrement());
    if (chosen.isEmpty() && !now.isEmpty() && tries.failed.containsAll(now.keySet())
        && tries.rounds < settings.retries().maxAttempts()) {
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
    Handle handle = now.get(chosen.get());
    handle.inFlight.incrementAndGet();
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
    Handle handle = tries.current;
    if (handle != null) {
      tries.failed.add(handle.backend);
      handle.failedAt = System.nanoTime();
      log.debug("{}: {} refused a request (try {})", appId, handle.backend, tries.count);
    }
    release(tries);
    callback.failed(exchange);
  }

  private static void release(Tries tries) {
    if (tries.current != null) {
      tries.current.inFlight.decrementAndGet();
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
