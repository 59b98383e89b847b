package dev.kos.agent.container.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.image.core.ImageConfig;
import dev.kos.model.ContainerSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BundlePlanTest {

  private static final ContainerSpec WEB = ContainerSpec.of("oci:/images/web:1");
  private static final ImageConfig IMAGE = new ImageConfig(List.of("/bin/serve"), List.of("--port", "80"),
      List.of("PATH=/bin", "MODE=image", "LANG=C"), Optional.of("/srv"), Optional.empty());

  private static BundleSpec plan(ContainerSpec container, ImageConfig image, Map<String, String> taskEnv) {
    return BundlePlan.of("a1-0123abcd.t1", container, image, "/cache/ab/rootfs", "/sandboxes/t1", taskEnv, 0.5,
        64L << 20);
  }

  @Test
  void shouldRunTheImageAsItIsWithTheTasksLimitsAndSandbox() {
    BundleSpec bundle = plan(WEB, IMAGE, Map.of("KOS_TASK_ID", "t1"));

    assertThat(bundle).isEqualTo(new BundleSpec("a1-0123abcd.t1", "/cache/ab/rootfs", "/sandboxes/t1",
        List.of("/bin/serve", "--port", "80"), List.of("PATH=/bin", "MODE=image", "LANG=C", "KOS_TASK_ID=t1"), "/srv",
        0, 0, "a1-0123abcd.t1", ContainerSpec.Network.HOST, 64L << 20, 0.5, BundlePlan.PIDS));
  }

  static Stream<Arguments> environments() {
    return Stream.of(
        Arguments.of("the image's", Map.of(), Map.of(), List.of("PATH=/bin", "MODE=image", "LANG=C")),
        Arguments.of("the container's over the image's", Map.of("MODE", "container"), Map.of(),
            List.of("PATH=/bin", "MODE=container", "LANG=C")),
        Arguments.of("the task's (kos's variables) over both", Map.of("MODE", "container"), Map.of("MODE", "task"),
            List.of("PATH=/bin", "MODE=task", "LANG=C")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("environments")
  void shouldLayerTheEnvironment(String name, Map<String, String> containerEnv, Map<String, String> taskEnv,
      List<String> expected) {
    ContainerSpec container = new ContainerSpec(WEB.image(), Optional.empty(), Optional.empty(), Optional.empty(),
        containerEnv, ContainerSpec.Network.HOST);

    assertThat(plan(container, IMAGE, taskEnv).env()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "image user \"{0}\" runs as {1}:{2}")
  @CsvSource({"'', 0, 0", "0, 0, 0", "root, 0, 0", "1000, 1000, 1000", "1000:50, 1000, 50"})
  void shouldRunAsTheImagesUserByNumber(String user, long uid, long gid) {
    ImageConfig image = new ImageConfig(IMAGE.entrypoint(), IMAGE.cmd(), IMAGE.env(), IMAGE.workingDir(),
        Optional.of(user));

    BundleSpec bundle = plan(WEB, image, Map.of());

    assertThat(List.of(bundle.uid(), bundle.gid())).containsExactly(uid, gid);
  }

  @ParameterizedTest(name = "image user \"{0}\" on an agent whose tasks run as nobody runs as {1}:{2}")
  @CsvSource({"'', 65534, 65534", "0, 0, 0", "root, 0, 0", "1000:50, 1000, 50"})
  void shouldRunAnImageThatNamesNoUserAsTheAgentsTaskUser(String user, long uid, long gid) {
    ImageConfig image = new ImageConfig(IMAGE.entrypoint(), IMAGE.cmd(), IMAGE.env(), IMAGE.workingDir(),
        user.isEmpty() ? Optional.empty() : Optional.of(user));

    BundleSpec bundle = BundlePlan.of("a1-0123abcd.t1", WEB, image, "/cache/ab/rootfs", "/sandboxes/t1", Map.of(),
        0.5, 64L << 20, Map.of(), new long[] {65534, 65534});

    assertThat(List.of(bundle.uid(), bundle.gid())).containsExactly(uid, gid);
  }

  @Test
  void shouldSayWhatItCannotRun() {
    ImageConfig named = new ImageConfig(IMAGE.entrypoint(), IMAGE.cmd(), IMAGE.env(), IMAGE.workingDir(),
        Optional.of("nginx"));
    ImageConfig nothing = new ImageConfig(List.of(), List.of(), List.of(), Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> plan(WEB, named, Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the image oci:/images/web:1 runs as the user \"nginx\", a name: kos runs an image's user only "
            + "by number yet (uid or uid:gid); rebuild it with USER 101 or the like");
    assertThatThrownBy(() -> plan(WEB, nothing, Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the image oci:/images/web:1 names no entrypoint or cmd and the task gives none: nothing to run");
  }

  @Test
  void shouldWorkInTheSandboxWhenNeitherImageNorTaskNamesADirectory() {
    ImageConfig image = new ImageConfig(IMAGE.entrypoint(), IMAGE.cmd(), IMAGE.env(), Optional.empty(),
        Optional.empty());
    ContainerSpec inTmp = new ContainerSpec(WEB.image(), Optional.empty(), Optional.empty(), Optional.of("/tmp"),
        Map.of(), ContainerSpec.Network.HOST);

    assertThat(plan(WEB, image, Map.of()).cwd()).isEqualTo(ContainerSpec.SANDBOX);
    assertThat(plan(inTmp, IMAGE, Map.of()).cwd()).isEqualTo("/tmp");
  }

  @ParameterizedTest(name = "task {1} of {0}")
  @CsvSource({"a1-0123abcd, t1, a1-0123abcd.t1", "a1-0123abcd, web.1_x-2, a1-0123abcd.web.1_x-2",
      "a1-0123abcd, 'web 1', a1-0123abcd.5bcf3c836b179f63"})
  void shouldNameAContainerByItsAgentsScopeAndTask(String scope, String taskId, String expected) {
    assertThat(BundlePlan.containerId(scope, taskId)).isEqualTo(expected);
  }
}
