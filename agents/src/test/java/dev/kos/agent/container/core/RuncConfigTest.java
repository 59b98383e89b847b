package dev.kos.agent.container.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.ContainerSpec.Network;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuncConfigTest {

  private static BundleSpec spec(Network network, double cpus) {
    return new BundleSpec("web-1", "/cache/ab/rootfs", "/sandboxes/web-1", List.of("/bin/web"), List.of("A=1"),
        "/kos/sandbox", 65534, 65534, "web-1", network, 256L << 20, cpus, 100);
  }

  @Test
  void shouldRunTheTaskAsItsUserOnAReadOnlyRootWithItsSandboxAndLimits() {
    Map<String, Object> config = RuncConfig.of(spec(Network.HOST, 0.5));

    assertThat(config).containsEntry("root", Map.of("path", "/cache/ab/rootfs", "readonly", true));
    Map<?, ?> process = (Map<?, ?>) config.get("process");
    assertThat(process.get("user")).isEqualTo(Map.of("uid", 65534L, "gid", 65534L));
    assertThat(process.get("terminal")).isEqualTo(false);
    assertThat(process.get("noNewPrivileges")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    List<String> env = (List<String>) process.get("env");
    assertThat(env).startsWith("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .contains("A=1");
    Map<?, ?> linux = (Map<?, ?>) config.get("linux");
    Map<?, ?> resources = (Map<?, ?>) linux.get("resources");
    assertThat(resources.get("memory")).isEqualTo(Map.of("limit", 256L << 20, "swap", 256L << 20));
    assertThat(resources.get("cpu")).isEqualTo(Map.of("shares", 512L, "quota", 50_000L, "period", 100_000L));
    assertThat(resources.get("pids")).isEqualTo(Map.of("limit", 100L));
    assertThat(linux.get("cgroupsPath")).isEqualTo("/kos/web-1");
    assertThat(mounts(config)).anySatisfy(m -> assertThat(m).containsEntry("destination", "/kos/sandbox")
        .containsEntry("source", "/sandboxes/web-1"));
  }

  @Test
  void shouldBindEachVolumeReadWriteUnderTheSandboxAfterTheSandboxAndAnOuterVolumeFirst() {
    BundleSpec withVolumes = BundlePlan.of("db-1", dev.kos.model.ContainerSpec.of("oci:/images/db"),
        new dev.kos.agent.image.core.ImageConfig(List.of("/bin/db"), List.of(), List.of(), java.util.Optional.empty(),
            java.util.Optional.empty()), "/cache/ab/rootfs", "/sandboxes/db-1", Map.of(), 1, 64L << 20,
        Map.of("data/wal", "/volumes/wal", "data", "/volumes/data"));

    List<Map<String, Object>> mounts = mounts(RuncConfig.of(withVolumes));

    assertThat(mounts).extracting(m -> m.get("destination")).endsWith("/kos/sandbox", "/kos/sandbox/data",
        "/kos/sandbox/data/wal");
    assertThat(mounts.get(mounts.size() - 1)).containsEntry("source", "/volumes/wal")
        .containsEntry("options", List.of("rbind", "rw", "nosuid", "nodev"));
  }

  static Stream<Arguments> networks() {
    return Stream.of(
        Arguments.of(Network.HOST, false, "/sys"),
        Arguments.of(Network.NONE, true, "sysfs"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("networks")
  void shouldGiveANetworkNamespaceOnlyWhenTheTaskHasNoNetwork(Network network, boolean own,
      String sysSource) {
    Map<String, Object> config = RuncConfig.of(spec(network, 1));
    List<?> namespaces = (List<?>) ((Map<?, ?>) config.get("linux")).get("namespaces");

    assertThat(namespaces.contains(Map.of("type", "network"))).isEqualTo(own);
    assertThat(mounts(config)).filteredOn(m -> "/sys".equals(m.get("destination"))).singleElement()
        .satisfies(m -> assertThat(m.get("source")).isEqualTo(sysSource));
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("bad id", (ThrowingCallable) () -> new BundleSpec("a/b", "/r", "/s", List.of("x"), List.of(),
            "/", 1, 1, "h", Network.HOST, 1L << 30, 1, 10), "is not letters"),
        Arguments.of("no args", (ThrowingCallable) () -> new BundleSpec("a", "/r", "/s", List.of(), List.of(), "/",
            1, 1, "h", Network.HOST, 1L << 30, 1, 10), "has nothing to run"),
        Arguments.of("relative cwd", (ThrowingCallable) () -> new BundleSpec("a", "/r", "/s", List.of("x"),
            List.of(), "tmp", 1, 1, "h", Network.HOST, 1L << 30, 1, 10), "is not absolute"),
        Arguments.of("tiny memory", (ThrowingCallable) () -> new BundleSpec("a", "/r", "/s", List.of("x"),
            List.of(), "/", 1, 1, "h", Network.HOST, 1024, 1, 10), "below the 4 MiB"),
        Arguments.of("zero cpus", (ThrowingCallable) () -> new BundleSpec("a", "/r", "/s", List.of("x"),
            List.of(), "/", 1, 1, "h", Network.HOST, 1L << 30, 0, 10), "is not in (0, 1024]"),
        Arguments.of("zero pids", (ThrowingCallable) () -> new BundleSpec("a", "/r", "/s", List.of("x"),
            List.of(), "/", 1, 1, "h", Network.HOST, 1L << 30, 1, 0), "a pids limit is at least 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void shouldRefuseASpecThatCannotRun(String what, ThrowingCallable make, String message) {
    assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> mounts(Map<String, Object> config) {
    return (List<Map<String, Object>>) config.get("mounts");
  }
}
