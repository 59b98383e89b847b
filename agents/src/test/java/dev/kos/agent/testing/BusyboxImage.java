package dev.kos.agent.testing;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;

import dev.kos.agent.image.OciLayoutWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test image: Debian's busybox-static packed into an OCI layout (runc and busybox-static installed first, see
 * {@link DebianPackages}), with the applets a test runs as symlinks in {@code /bin}. Public, in the agents' test-jar,
 * for the system tests.
 */
public final class BusyboxImage {

  private BusyboxImage() {
  }

  /**
   * Writes the image as tag {@code 1} of an OCI layout at {@code layout}, with {@code extra} entries in its layer.
   *
   * @return its reference, {@code oci:LAYOUT:1}
   */
  public static String write(Path layout, List<String> applets, List<OciLayoutWriter.Entry> extra) throws IOException {
    Path busybox = DebianPackages.ensure(Map.of("runc", "runc", "busybox", "busybox-static")).get("busybox");
    List<OciLayoutWriter.Entry> layer = new ArrayList<>(List.of(dir("bin/"),
        file("bin/busybox", Files.readAllBytes(busybox), 0755)));
    for (String applet : applets) {
      layer.add(symlink("bin/" + applet, "busybox"));
    }
    layer.addAll(extra);
    OciLayoutWriter writer = OciLayoutWriter.layout(layout);
    writer.add("1", List.of("/bin/sh"), List.of(layer));
    return "oci:" + writer.path() + ":1";
  }
}
