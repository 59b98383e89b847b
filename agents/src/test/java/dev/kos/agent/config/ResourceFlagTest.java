package dev.kos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceFlagTest {
  private static final HostResources HOST = new HostResources(8, 16000, 50000);

  @Test
  void shouldParseEveryResource() {
    ResourceSet parsed = ResourceFlag.parse("cpus:4;mem:8192;disk:20000;ports:[31000-32000,33000-33010]", HOST);

    assertThat(parsed).isEqualTo(new ResourceSet(4, 8192, 20000,
        List.of(new PortRange(31000, 32000), new PortRange(33000, 33010))));
  }

  @Test
  void shouldTakeWhatTheFlagLeavesOutFromTheHost() {
    assertThat(ResourceFlag.parse("cpus:2.5", HOST))
        .isEqualTo(new ResourceSet(2.5, 16000, 50000, List.of(HostResources.DEFAULT_PORTS)));
    assertThat(ResourceFlag.parse("", HOST))
        .isEqualTo(new ResourceSet(8, 16000, 50000, List.of(HostResources.DEFAULT_PORTS)));
  }

  @Test
  void shouldAcceptSinglePortsAndSpaces() {
    assertThat(ResourceFlag.parse(" ports : [ 8080 , 9000-9001 ] ", HOST).ports())
        .containsExactly(new PortRange(8080, 8080), new PortRange(9000, 9001));
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "cpus                 | expected name:value",
      "gpus:1               | unknown resource 'gpus'",
      "cpus:four            | not a number",
      "cpus:-1              | must be a finite number >= 0",
      "mem:NaN              | must be a finite number >= 0",
      "cpus:1;cpus:2        | 'cpus' is given twice",
      "ports:31000-32000    | expected ports:[begin-end,...]",
      "ports:[32000-31000]  | invalid port range",
      "ports:[0-10]         | invalid port range",
      "ports:[1-2-3]        | expected begin-end",
      "ports:[a-b]          | not a number"})
  void shouldRejectWithAClearError(String flag, String expected) {
    assertThatThrownBy(() -> ResourceFlag.parse(flag, HOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid --resources entry")
        .hasMessageContaining(expected);
  }

  @Test
  void shouldDetectSomethingFromThisHost() {
    HostResources detected = HostResources.detect(Path.of("target"));

    assertThat(detected.cores()).isPositive();
    assertThat(detected.memMb()).isPositive();
    assertThat(detected.diskMb()).isPositive();
  }
}
