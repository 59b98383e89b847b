package dev.kos.bench.lb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.concurrent.locks.LockSupport;

/**
 * A small HTTP/1.1 load generator on plain sockets: each connection is a thread with one keep-alive connection that
 * sends {@code GET /} and reads the whole answer (status line, headers, a Content-Length body) before the next. No
 * HTTP client library sits between the measure and the wire, so its own cost is small and the same for every target.
 * A connection that breaks is counted as an error and opened again.
 */
final class HttpLoad {

  private static final byte[] REQUEST = "GET / HTTP/1.1\r\nHost: bench\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** What a closed-loop run got: answers (status 200) and errors, over its duration. */
  record Saturation(long answered, long errors, Duration duration) {
    double perSecond() {
      return answered / (duration.toNanos() / 1e9);
    }
  }

  /** What an open-loop run got: each answer's latency in microseconds, and the errors. */
  record Latencies(long[] micros, long errors) {
  }

  private HttpLoad() {
  }

  /**
   * Closed loop: {@code connections} connections, connection i to {@code targets[i % n]}, each sending its next
   * request as soon as the previous one is answered, for {@code duration}.
   */
  static Saturation saturate(List<InetSocketAddress> targets, int connections, Duration duration)
      throws InterruptedException {
    AtomicLong answered = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + duration.toNanos();
    onThreads(connections, i -> () -> {
      try (Client client = new Client(targets.get(i % targets.size()))) {
        while (System.nanoTime() < end) {
          (client.send() ? answered : errors).incrementAndGet();
        }
      }
    });
    return new Saturation(answered.get(), errors.get(), duration);
  }

  /**
   * Open loop at {@code rate} requests/s over {@code connections} connections for {@code duration}: request k goes
   * out at {@code start + k / rate} on connection {@code k % connections}, and its latency counts from that intended
   * moment, so a stall shows in the latencies of the requests it delayed (no coordinated omission).
   */
  static Latencies atRate(List<InetSocketAddress> targets, double rate, int connections, Duration duration)
      throws InterruptedException {
    long total = (long) (rate * duration.toNanos() / 1e9);
    long[] micros = new long[(int) total];
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime() + 50_000_000L;
    onThreads(connections, i -> () -> {
      try (Client client = new Client(targets.get(i % targets.size()))) {
        for (long k = i; k < total; k += connections) {
          long intended = start + (long) (k * 1e9 / rate);
          long wait = intended - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
          boolean answered = client.send();
          micros[(int) k] = (System.nanoTime() - intended) / 1000;
          if (!answered) {
            errors.incrementAndGet();
          }
        }
      }
    });
    return new Latencies(micros, errors.get());
  }

  /** Runs {@code count} threads, thread i running {@code body.apply(i)}, and waits for them all. */
  private static void onThreads(int count, IntFunction<Runnable> body) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Thread thread = new Thread(body.apply(i), "load-" + i);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
  }

  /** One load thread's client: a keep-alive connection, opened again after a failure. */
  private static final class Client implements AutoCloseable {
    private final InetSocketAddress target;
    private Connection connection;

    Client(InetSocketAddress target) {
      this.target = target;
    }

    /** Sends one request; true if it was answered 200, false for another status or a broken connection. */
    boolean send() {
      try {
        if (connection == null) {
          connection = new Connection(target);
        }
        return connection.exchange() == 200;
      } catch (IOException e) {
        close();
        return false;
      }
    }

    @Override
    public void close() {
      if (connection != null) {
        try {
          connection.socket.close();
        } catch (IOException e) {
          // Closing a broken connection: nothing to keep.
        }
        connection = null;
      }
    }
  }

  /** One keep-alive connection. */
  private static final class Connection {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    Connection(InetSocketAddress target) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(target, 2000);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 8192);
    }

    /** Sends one request and reads its whole answer; returns the status. */
    int exchange() throws IOException {
      out.write(REQUEST);
      out.flush();
      String statusLine = line();
      if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
        throw new IOException("not an HTTP/1.1 answer: " + statusLine);
      }
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      for (String header = line(); !header.isEmpty(); header = line()) {
        int colon = header.indexOf(':');
        if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
          length = Long.parseLong(header.substring(colon + 1).trim());
        }
      }
      if (length < 0) {
        throw new IOException("an answer without Content-Length");
      }
      for (long left = length; left > 0; ) {
        long skipped = in.skip(left);
        if (skipped <= 0) {
          if (in.read() < 0) {
            throw new IOException("connection closed in the body");
          }
          skipped = 1;
        }
        left -= skipped;
      }
      return status;
    }

    private String line() throws IOException {
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) {
          throw new IOException("connection closed");
        }
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    }
  }
}
