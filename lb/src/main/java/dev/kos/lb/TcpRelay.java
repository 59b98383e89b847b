package dev.kos.lb;

import dev.kos.lb.core.Backend;
import dev.kos.lb.core.BackendSet;
import dev.kos.lb.core.RetryPolicy;
import dev.kos.lb.core.Served;
import io.undertow.connector.ByteBufferPool;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;

/**
 * One TCP app's connections: each connection the balancer accepts on the app's service port goes to one backend,
 * chosen by {@link BackendLoads} (the same choice as for HTTP: least connections or round robin, never one at its
 * limit of connections, one that refused a moment ago only if nothing else may). A backend that refuses the
 * connection, or takes none within the connect timeout, is left for the next, within the retry policy's tries. Once
 * connected, Undertow's {@link Transfer} moves the bytes both ways on XNIO (the I/O threads of the HTTP side), each
 * direction's end passed on as a half close; an error on either side closes both. A backend that leaves the set gets
 * no new connection; those it has run on until either side closes them.
 */
final class TcpRelay {

  private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);

  private final String appId;
  private final LbSettings settings;
  private final Clock clock;
  private final ByteBufferPool buffers;
  private final Consumer<Served> served;
  private final BackendLoads<Void> loads;

  TcpRelay(String appId, LbSettings settings, Clock clock, ByteBufferPool buffers,
      Consumer<Served> served) {
    this.appId = appId;
    this.settings = settings;
    this.clock = clock;
    this.buffers = buffers;
    this.served = served;
    this.loads = new BackendLoads<>(settings);
  }

  void update(BackendSet set) {
    List<Backend> gone = loads.update(set.backends(), backend -> null);
    if (!gone.isEmpty()) {
      log.debug("{}: backends now {}, dropped {} (their open connections stay)", appId, loads.backends(), gone);
    }
  }

  List<Backend> backends() {
    return loads.backends();
  }

  Map<Backend, Integer> inFlight() {
    return loads.inFlight();
  }

  /** A client connected to the app's service port: find it a backend. Runs on an I/O thread; never blocks. */
  void accept(StreamConnection client) {
    Attempt attempt = new Attempt(client, System.nanoTime());
    client.setCloseListener(c -> attempt.clientClosed());
    connect(attempt);
  }

  /** One client connection: the tries to reach a backend, then the relay. */
  private final class Attempt {
    final StreamConnection client;
    final long startNanos;
    final Set<Backend> failed = new HashSet<>();
    final AtomicBoolean ended = new AtomicBoolean();
    int tries;
    /** The slot counted in flight for this connection; taken back exactly once (see {@link #giveBack}). */
    final AtomicReference<BackendLoads.Slot<Void>> slot = new AtomicReference<>();
    /** The backend of the latest try, for the access log. */
    volatile Backend last;
    volatile StreamConnection backend;
    volatile boolean relayed;

    Attempt(StreamConnection client, long startNanos) {
      this.client = client;
      this.startNanos = startNanos;
    }

    /** The client's connection closed (by either side, or the relay): the backend's goes too, and it is logged once. */
    void clientClosed() {
      IoUtils.safeClose(backend);
      if (ended.compareAndSet(false, true)) {
        giveBack(slot.get());
        InetSocketAddress peer = client.getPeerAddress(InetSocketAddress.class);
        served.accept(new Served(clock.instant(), appId,
            peer == null || peer.getAddress() == null ? "-" : peer.getAddress().getHostAddress(), "TCP", "-",
            relayed ? 200 : 503, (System.nanoTime() - startNanos) / 1000,
            Optional.ofNullable(last), tries));
      }
    }

    /** Takes {@code held} out of flight if it is still this connection's: a slot is released once, whoever is first. */
    void giveBack(BackendLoads.Slot<Void> held) {
      if (held != null && slot.compareAndSet(held, null)) {
        held.release();
      }
    }
  }

  private void connect(Attempt attempt) {
    if (!attempt.client.isOpen()) {
      return;
    }
    Optional<BackendLoads.Slot<Void>> chosen = loads.take(attempt.failed);
    if (chosen.isEmpty()) {
      log.debug("{}: no backend takes a connection from {} (tried {})", appId, attempt.client.getPeerAddress(),
          attempt.failed);
      IoUtils.safeClose(attempt.client);
      return;
    }
    BackendLoads.Slot<Void> slot = chosen.get();
    attempt.tries++;
    attempt.slot.set(slot);
    attempt.last = slot.backend;
    if (attempt.ended.get()) {
      // The client went away while this try was chosen.
      attempt.giveBack(slot);
      return;
    }
    Backend target = slot.backend;
    // On the client's I/O thread, so both ends of the relay are served by one thread.
    IoFuture<StreamConnection> future = attempt.client.getIoThread().openStreamConnection(
        new InetSocketAddress(target.host(), target.port()), ChannelListeners.nullChannelListener(),
        OptionMap.create(Options.TCP_NODELAY, true));
    long connectMillis = settings.connectTimeout().toMillis();
    XnioExecutor.Key deadline = connectMillis <= 0 ? null
        : attempt.client.getIoThread().executeAfter(future::cancel, connectMillis, TimeUnit.MILLISECONDS);
    future.addNotifier(new IoFuture.HandlingNotifier<StreamConnection, Attempt>() {
      @Override
      public void handleDone(StreamConnection connection, Attempt a) {
        if (deadline != null) {
          deadline.remove();
        }
        relay(a, connection);
      }

      @Override
      public void handleFailed(IOException exception, Attempt a) {
        if (deadline != null) {
          deadline.remove();
        }
        refused(a, slot, exception.toString());
      }

      @Override
      public void handleCancelled(Attempt a) {
        refused(a, slot, "no connection within " + connectMillis + " ms");
      }
    }, attempt);
  }

  /** The backend took no connection: it is suspect for a moment, and the client's connection tries the next. */
  private void refused(Attempt attempt, BackendLoads.Slot<Void> slot, String why) {
    slot.failed();
    attempt.failed.add(slot.backend);
    attempt.giveBack(slot);
    log.debug("{}: {} refused a connection (try {}): {}", appId, slot.backend, attempt.tries, why);
    if (settings.retries().mayRetry("TCP", RetryPolicy.Failure.REFUSED, attempt.tries)) {
      connect(attempt);
    } else {
      IoUtils.safeClose(attempt.client);
    }
  }

  private void relay(Attempt attempt, StreamConnection backend) {
    attempt.backend = backend;
    if (!attempt.client.isOpen()) {
      IoUtils.safeClose(backend);
      return;
    }
    attempt.relayed = true;
    StreamConnection client = attempt.client;
    backend.setCloseListener(c -> IoUtils.safeClose(client));
    ChannelExceptionHandler<java.nio.channels.Channel> closeBoth = (channel, exception) -> {
      log.debug("{}: relay to {} broke: {}", appId, attempt.last,
          exception.toString());
      IoUtils.safeClose(client, backend);
    };
    // The end of one direction is passed on as a half close (shutdown of the other side's writes, once flushed); a
    // connection closes when both its directions ended.
    ChannelListener<StreamSinkChannel> shutdownWrites = ChannelListeners.writeShutdownChannelListener(
        ChannelListeners.flushingChannelListener(ChannelListeners.closingChannelListener(), closeBoth), closeBoth);
    Transfer.initiateTransfer(client.getSourceChannel(), backend.getSinkChannel(),
        ChannelListeners.closingChannelListener(), shutdownWrites, closeBoth, closeBoth, buffers);
    Transfer.initiateTransfer(backend.getSourceChannel(), client.getSinkChannel(),
        ChannelListeners.closingChannelListener(), shutdownWrites, closeBoth, closeBoth, buffers);
  }
}
