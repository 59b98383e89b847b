package dev.kos.cli.demo;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;

import dev.kos.agent.image.OciLayoutWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The demo's container image, built at demo time with no daemon and no registry: Debian's statically linked
 * busybox (package busybox-static) as a shell and an HTTP server, and a page to serve, packed as an OCI image layout.
 */
final class DemoImage {

  static final String PAGE = "hello from an OCI image, run by runc under kos\n";
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private DemoImage() {
  }

  /** Builds the image under {@code dir}; its reference, or empty when busybox-static is not installed. */
  static Optional<String> build(Path dir) throws IOException, InterruptedException {
    if (!staticBusyboxInstalled()) {
      return Optional.empty();
    }
    OciLayoutWriter layout = OciLayoutWriter.layout(dir);
    layout.add("1", List.of("/bin/sh"), List.of(List.of(dir("bin/"), dir("www/"),
        file("bin/busybox", Files.readAllBytes(BUSYBOX), 0755), symlink("bin/sh", "busybox"),
        symlink("bin/httpd", "busybox"), file("www/index.html", PAGE))));
    return Optional.of("oci:" + layout.path() + ":1");
  }

  /** Debian's busybox is linked dynamically unless it is busybox-static, which an image with no libc needs. */
  private static boolean staticBusyboxInstalled() throws IOException, InterruptedException {
    if (!Files.isExecutable(BUSYBOX)) {
      return false;
    }
    Process query;
    try {
      query = new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", "busybox-static").redirectErrorStream(true)
          .start();
    } catch (IOException noDpkg) {
      return false;
    }
    String status = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return query.waitFor(10, TimeUnit.SECONDS) && query.exitValue() == 0 && status.contains("install ok installed");
  }
}
