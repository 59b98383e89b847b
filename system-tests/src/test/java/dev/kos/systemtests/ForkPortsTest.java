package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForkPortsTest {

  @ParameterizedTest(name = "fork {0}, offset {1} -> {2}")
  @CsvSource({
      "1, 0,    20000",
      "1, 4999, 24999",
      "2, 0,    25000",
      "2, 4999, 29999"})
  void shouldGiveEachForkADisjointBlockBelowKosUpsPorts(int fork, int offset, int port) {
    assertThat(ForkPorts.port(fork, offset)).isEqualTo(port).isLessThan(31_000);
  }

  @ParameterizedTest(name = "kos.test.fork={0}")
  @CsvSource({"fork-1, 1", "fork-2, 2", "fork-12, 12"})
  void shouldReadTheForkNumberFailsafePasses(String value, int fork) {
    assertThat(ForkPorts.parseFork(value)).isEqualTo(fork);
  }

  @ParameterizedTest(name = "kos.test.fork=''{0}''")
  @ValueSource(strings = {"", "fork-", "1", "fork-x"})
  void shouldNameTheSettingWhenTheForkNumberIsMissing(String value) {
    assertThatThrownBy(() -> ForkPorts.parseFork(value)).hasMessageContaining("kos.test.fork");
  }

  @ParameterizedTest(name = "fork {0}, offset {1}")
  @CsvSource({"0, 0", "3, 0", "1, -1", "1, 5000"})
  void shouldRefuseWhatLeavesTheBlocks(int fork, int offset) {
    assertThatThrownBy(() -> ForkPorts.port(fork, offset)).isInstanceOf(RuntimeException.class)
        .hasMessageContaining(fork < 1 || fork > 2 ? "forks 1..2" : "outside a fork's block");
  }
}
