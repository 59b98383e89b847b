package dev.kos.bench.lb;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (Debian's package) in front of the same backends, configured as kos lb is: HTTP mode, least connections,
 * 256 requests per server at most, a refused connection retried elsewhere, keep-alive to the backends, two threads
 * (kos lb has two I/O threads on this machine).
 */
final class Haproxy implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/sbin/haproxy");
  private final Process process;

  private Haproxy(Process process) {
    this.process = process;
  }

  /** Installs Debian's haproxy if it is missing (as root), or says the exact line to run. */
  static void ensureInstalled() throws IOException, InterruptedException {
    if (Files.isExecutable(BINARY)) {
      return;
    }
    String line = "apt-get install -y --no-install-recommends haproxy";
    System.out.println("haproxy is not installed: " + line);
    Process install = new ProcessBuilder("sh", "-c", "DEBIAN_FRONTEND=noninteractive " + line).inheritIO().start();
    if (install.waitFor() != 0 || !Files.isExecutable(BINARY)) {
      throw new IllegalStateException("haproxy is not installed and installing it failed; run as root: " + line);
    }
  }

  static String config(int listen, List<InetSocketAddress> backends) {
    StringBuilder config = new StringBuilder("""
        global
          maxconn 4096
          nbthread 2
        defaults
          mode http
          timeout connect 2s
          timeout client 30s
          timeout server 30s
          option http-keep-alive
          http-reuse always
          retries 4
          retry-on conn-failure
          option redispatch
        frontend bench
        """);
    config.append("  bind 127.0.0.1:").append(listen).append('\n');
    config.append("  default_backend app\nbackend app\n  balance leastconn\n");
    for (int i = 0; i < backends.size(); i++) {
      config.append("  server b").append(i).append(' ').append(backends.get(i).getHostString()).append(':')
          .append(backends.get(i).getPort()).append(" maxconn 256\n");
    }
    return config.toString();
  }

  static Haproxy start(Path dir, int listen, List<InetSocketAddress> backends) throws IOException {
    Path file = dir.resolve("haproxy.cfg");
    Files.writeString(file, config(listen, backends));
    Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
    return new Haproxy(process);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
