package dev.kos.cli.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;

/**
 * kos's per-user directory ({@code $KOS_HOME}, default {@code ~/.kos}): {@code config.properties}
 * holds the user's settings, and {@code cluster.properties} the addresses of the cluster the
 * last {@code kos up} started, so commands in another shell find it without flags (as
 * kubectl finds its kubeconfig).
 */
public record KosHome(Path dir) {

  public static KosHome from(Map<String, String> env) {
    String home = env.get("KOS_HOME");
    return new KosHome(home != null && !home.isBlank()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".kos"));
  }

  public Path configFile() {
    return dir.resolve("config.properties");
  }

  public Path clusterFile() {
    return dir.resolve("cluster.properties");
  }

  public void writeCluster(Properties cluster) throws IOException {
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "cluster", ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      cluster.store(out, "written by `kos up`; removed when it stops");
    }
    Files.move(tmp, clusterFile(), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  public static Properties read(Path file) {
    Properties props = new Properties();
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        props.load(in);
      } catch (IOException e) {
        throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return props;
  }
}
