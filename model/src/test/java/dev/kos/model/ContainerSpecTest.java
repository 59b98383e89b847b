package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerSpecTest {

  private static final String IMAGE = "oci:/images/web:1";
  private static final List<String> ENTRYPOINT = List.of("/bin/serve");
  private static final List<String> CMD = List.of("--port", "80");

  static Stream<Arguments> commandLines() {
    return Stream.of(
        Arguments.of("the image's entrypoint and cmd", ContainerSpec.of(IMAGE), ENTRYPOINT, CMD,
            List.of("/bin/serve", "--port", "80")),
        Arguments.of("args replace the cmd", ContainerSpec.of(IMAGE).withArgs(List.of("--port", "8080")), ENTRYPOINT,
            CMD, List.of("/bin/serve", "--port", "8080")),
        Arguments.of("empty args drop the cmd", ContainerSpec.of(IMAGE).withArgs(List.of()), ENTRYPOINT, CMD,
            List.of("/bin/serve")),
        Arguments.of("an entrypoint drops the image's cmd (as Docker)",
            ContainerSpec.of(IMAGE).withEntrypoint(List.of("/bin/sh")), ENTRYPOINT, CMD, List.of("/bin/sh")),
        Arguments.of("entrypoint and args", ContainerSpec.of(IMAGE).withEntrypoint(List.of("/bin/sh"))
            .withArgs(List.of("-c", "echo hi")), ENTRYPOINT, CMD, List.of("/bin/sh", "-c", "echo hi")),
        Arguments.of("an image with only a cmd", ContainerSpec.of(IMAGE), List.of(), List.of("/bin/sh"),
            List.of("/bin/sh")),
        Arguments.of("nothing anywhere", ContainerSpec.of(IMAGE), List.of(), List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("commandLines")
  void shouldRunTheOverridesOverTheImagesEntrypointAndCmd(String name, ContainerSpec spec, List<String> entrypoint,
      List<String> cmd, List<String> expected) {
    assertThat(spec.commandLine(entrypoint, cmd)).isEqualTo(expected);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of(new Fields("docker://web", null, null, null, Map.of()), "is not oci:PATH[:TAG]"),
        Arguments.of(new Fields("oci:images/web", null, null, null, Map.of()), "names a relative path"),
        Arguments.of(new Fields("oci:/images/web@sha256:12", null, null, null, Map.of()), "which is no sha256:HEX"),
        Arguments.of(new Fields(IMAGE, List.of(), null, null, Map.of()), "an entrypoint override names at least"),
        Arguments.of(new Fields(IMAGE, null, null, "work", Map.of()), "working directory \"work\" is not absolute"),
        Arguments.of(new Fields(IMAGE, null, null, null, Map.of("A=B", "x")), "\"A=B\" is not a name"),
        Arguments.of(new Fields(IMAGE, null, null, null, Map.of("1X", "x")), "\"1X\" is not a name"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void shouldRefuseWhatNoAgentCouldRun(Fields fields, String reason) {
    assertThatThrownBy(fields::spec).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(reason);
  }

  @Test
  void shouldKeepAValidSpecAsGiven() {
    ContainerSpec spec = new Fields(IMAGE, List.of("/bin/sh"), List.of("-c", "true"), "/srv", Map.of("MODE", "prod"))
        .spec().withNetwork(ContainerSpec.Network.NONE);

    assertThat(spec.imageReference()).isEqualTo(new ImageReference("/images/web", Optional.of("1"), Optional.empty()));
    assertThat(spec.workingDir()).contains("/srv");
    assertThat(spec.env()).containsExactly(Map.entry("MODE", "prod"));
    assertThat(spec.network()).isEqualTo(ContainerSpec.Network.NONE);
  }

  @Test
  void shouldLetAContainerTaskNameNoCommandOfItsOwn() {
    TaskSpec process = TaskSpec.of("t1", "t1", "fw", CommandSpec.shell("./serve"), Resources.of(1, 64));
    TaskSpec container = TaskSpec.of("t1", "t1", "fw", CommandSpec.NONE, Resources.of(1, 64))
        .inContainer(ContainerSpec.of(IMAGE));

    assertThat(container.container()).contains(ContainerSpec.of(IMAGE));
    assertThatThrownBy(() -> process.inContainer(ContainerSpec.of(IMAGE)))
        .hasMessageContaining("say what runs there in its container's entrypoint and args, not in its command");
  }

  @Test
  void shouldTellAnOfferOfAnAgentThatRunsContainers() {
    OfferView plain = OfferView.of("o1", "a1", Resources.of(1, 64));
    OfferView runc = new OfferView("o2", "fw", "a2", "h2", Resources.of(1, 64), List.of(),
        Map.of(ContainerSpec.RUNTIME_ATTRIBUTE, ContainerSpec.RUNC), plain.createdAt(), plain.expiresAt());

    assertThat(plain.runsContainers()).isFalse();
    assertThat(runc.runsContainers()).isTrue();
  }

  /** The fields of a spec, null for "not given", so a table row reads as the spec it makes. */
  record Fields(String image, List<String> entrypoint, List<String> args, String workingDir, Map<String, String> env) {
    ContainerSpec spec() {
      return new ContainerSpec(image, Optional.ofNullable(entrypoint), Optional.ofNullable(args),
          Optional.ofNullable(workingDir), env, ContainerSpec.Network.HOST);
    }
  }
}
