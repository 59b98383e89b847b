package dev.kos.agent.container;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.container.core.BundleSpec;
import dev.kos.model.ContainerSpec;
import dev.kos.model.ContainerSpec.Network;
import dev.kos.agent.image.ImageCache;
import dev.kos.agent.image.OciLayoutWriter;
import dev.kos.model.ImageReference;
import dev.kos.agent.testing.DebianPackages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real containers from a real image: busybox-static packed into an OCI layout by the test, unpacked by the
 * agent's image cache and run by runc with kos's config: limits enforced, the root read-only, the sandbox
 * writable, as an unprivileged user, with no network but a loopback when asked.
 */
@Timeout(120)
class RuncContainerIT {

  private static final long MIB = 1024 * 1024;

  @TempDir
  static Path dir;

  private static RuncContainer.Runc runc;
  private static Path rootfs;

  @BeforeAll
  static void image() throws Exception {
    Map<String, Path> tools = DebianPackages.ensure(Map.of("runc", "runc", "busybox", "busybox-static"));
    runc = new RuncContainer.Runc(tools.get("runc"), Files.createDirectories(dir.resolve("runc-state")));
    List<OciLayoutWriter.Entry> layer = new ArrayList<>(List.of(dir("bin/"), dir("etc/"),
        file("bin/busybox", Files.readAllBytes(tools.get("busybox")), 0755), file("etc/motd", "from the image\n")));
    for (String applet : List.of("sh", "echo", "cat", "head", "tail", "id", "ls", "touch", "sleep")) {
      layer.add(symlink("bin/" + applet, "busybox"));
    }
    OciLayoutWriter images = OciLayoutWriter.layout(dir.resolve("layout"));
    images.add("1", List.of("/bin/sh"), List.of(layer));
    rootfs = new ImageCache(dir.resolve("cache"), 64 * MIB)
        .rootOf(ImageReference.parse("oci:" + images.path() + ":1")).rootfs();
  }

  @Test
  void shouldRunAsAnUnprivilegedUserWithAReadOnlyRootAndAWritableSandbox() throws Exception {
    Run run = run(Network.HOST, 64 * MIB,
        "id -u; cat /etc/motd; echo written > " + ContainerSpec.SANDBOX + "/out; touch /etc/x || echo root-is-read-only");

    assertThat(run.exit()).isEqualTo(new RuncContainer.Exit(0, false));
    assertThat(run.stdout()).isEqualTo("65534\nfrom the image\nroot-is-read-only\n");
    assertThat(run.sandbox().resolve("out")).hasContent("written");
    assertThat(rootfs.resolve("etc/x")).doesNotExist();
  }

  @Test
  void shouldOomKillAContainerThatAllocatesPastItsMemoryLimitAndSaySo() throws Exception {
    // The hog is the container's only process (exec), so it is the one the OOM killer must pick: in a pipeline
    // the kernel may kill a child instead and let the shell go on. It starts after a second, by when `runc
    // events` listens (an OOM before that is reported as a plain SIGKILL: docs/containers.md).
    Run run = run(Network.HOST, 32 * MIB, "echo start; sleep 1; exec tail -n 1 /dev/zero");

    assertThat(run.exit()).isEqualTo(new RuncContainer.Exit(137, true));
    assertThat(run.stdout()).isEqualTo("start\n");
  }

  @Test
  void shouldGiveAContainerWithoutNetworkOnlyALoopback() throws Exception {
    Run none = run(Network.NONE, 32 * MIB, "ls /sys/class/net");
    Run host = run(Network.HOST, 32 * MIB, "ls /sys/class/net");

    assertThat(none.exit().status()).isZero();
    assertThat(none.stdout().trim()).isEqualTo("lo");
    assertThat(host.stdout().lines().count()).as("the host's interfaces: %s", host.stdout()).isGreaterThan(1);
  }

  @Test
  void shouldStopAContainerKosKillsWithoutCallingItAnOomKill() throws Exception {
    Path sandbox = sandbox();
    BundleSpec spec = spec(sandbox, Network.HOST, 32 * MIB, "echo up; sleep 600");
    try (RuncContainer container = RuncContainer.start(runc, sandbox.resolve("bundle"), spec,
        sandbox.resolve("stdout"), sandbox.resolve("stderr"), RuncContainer.Supervision.NONE)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!Files.readString(sandbox.resolve("stdout")).contains("up") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      container.kill("KILL");
      RuncContainer.Exit exit = container.waitFor(Duration.ofSeconds(30)).orElseThrow();
      assertThat(exit).isEqualTo(new RuncContainer.Exit(137, false));
    }
  }

  private record Run(RuncContainer.Exit exit, String stdout, Path sandbox) {
  }

  private static Run run(Network network, long memory, String script) throws Exception {
    Path sandbox = sandbox();
    BundleSpec spec = spec(sandbox, network, memory, script);
    try (RuncContainer container = RuncContainer.start(runc, sandbox.resolve("bundle"), spec,
        sandbox.resolve("stdout"), sandbox.resolve("stderr"), RuncContainer.Supervision.NONE)) {
      RuncContainer.Exit exit = container.waitFor(Duration.ofSeconds(60))
          .orElseThrow(() -> new AssertionError("the container still runs after 60 s"));
      String stdout = Files.readString(sandbox.resolve("stdout"));
      System.out.println("container " + spec.id() + ": " + exit + "; stderr: " + Files.readString(sandbox.resolve("stderr")));
      return new Run(exit, stdout, sandbox);
    }
  }

  private static Path sandbox() throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox-" + UUID.randomUUID()));
    // The agent gives the task's user its sandbox; here, anyone may write it.
    Files.setPosixFilePermissions(sandbox, PosixFilePermissions.fromString("rwxrwxrwx"));
    return sandbox;
  }

  private static BundleSpec spec(Path sandbox, Network network, long memory, String script) {
    return new BundleSpec("kos-it-" + UUID.randomUUID().toString().substring(0, 8), rootfs.toString(),
        sandbox.toString(), List.of("/bin/sh", "-c", script), List.of(), ContainerSpec.SANDBOX, 65534, 65534, "task",
        network, memory, 0.5, 64);
  }
}
