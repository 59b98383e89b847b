package dev.kos.agent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A 64 KiB tmpfs mounted over a directory, so that writes there fail with a real ENOSPC once it is
 * full. Mounting needs root (CI runs as root): without it the test fails and says why, it never
 * skips silently.
 */
public final class TinyDisk implements AutoCloseable {
  private final Path dir;

  private TinyDisk(Path dir) {
    this.dir = dir;
  }

  public static TinyDisk mountOn(Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    long uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    if (uid != 0) {
      fail("this test mounts a 64 KiB tmpfs to get a real 'No space left on device' and needs root; "
          + "it runs as uid " + uid + ". Run it as root (CI does).");
    }
    run("mount", "-t", "tmpfs", "-o", "size=64k", "kos-tiny-disk", dir.toString());
    return new TinyDisk(dir);
  }

  /** Writes a filler file until the disk refuses more. */
  public void fill() throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(dir.resolve("filler-" + System.nanoTime()))) {
      for (int i = 0; i < 1_000; i++) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      if (full.getMessage() != null && full.getMessage().contains("No space left on device")) {
        return;
      }
      throw full;
    }
    fail("a 64 KiB tmpfs took 4 MB: the mount at " + dir + " is not what this test needs");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", dir.toString());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
      fail(String.join(" ", command) + " failed: " + new String(process.getInputStream().readAllBytes()));
    }
  }
}
