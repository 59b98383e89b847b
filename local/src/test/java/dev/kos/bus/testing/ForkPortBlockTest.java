package dev.kos.bus.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ForkPortBlockTest {

  @ParameterizedTest(name = "base {0}, size {1}, fork {2}: ports {3}..{4}")
  @CsvSource({
      "10000, 2500, 1, 10000, 12499",
      "10000, 2500, 2, 12500, 14999",
      "10000, 2500, 4, 17500, 19999",
      "10000, 2500, 8, 27500, 29999",
      "20000, 5000, 2, 25000, 29999"})
  void shouldGiveEachForkADisjointBlockBelowKosUpsPorts(int base, int size, int fork, int first, int last) {
    ForkPortBlock block = ForkPortBlock.of(base, size, fork);
    assertThat(block.port(0)).isEqualTo(first);
    assertThat(block.port(size - 1)).isEqualTo(last).isLessThan(ForkPortBlock.BELOW);
    assertThat(block.range(10, 3)).isEqualTo("[" + (first + 10) + "-" + (first + 12) + "]");
  }

  @ParameterizedTest(name = "fork {0}")
  @ValueSource(ints = {0, 9})
  void shouldRefuseAForkWithoutABlock(int fork) {
    assertThatThrownBy(() -> ForkPortBlock.of(ForkPortBlock.BASE, ForkPortBlock.SIZE, fork))
        .hasMessageContaining("forkCount");
  }

  @ParameterizedTest(name = "offset {0}")
  @ValueSource(ints = {-1, 5000})
  void shouldRefuseAnOffsetOutsideTheBlock(int offset) {
    assertThatThrownBy(() -> ForkPortBlock.of(20_000, 5_000, 1).port(offset)).hasMessageContaining("outside");
  }

  @ParameterizedTest(name = "kos.test.fork={0}")
  @CsvSource({"fork-1, 1", "fork-2, 2", "fork-12, 12"})
  void shouldReadTheForkNumberFailsafePasses(String value, int fork) {
    assertThat(ForkPortBlock.parseFork(value)).isEqualTo(fork);
  }

  @ParameterizedTest(name = "kos.test.fork=''{0}''")
  @ValueSource(strings = {"", "fork-", "1", "fork-x"})
  void shouldNameTheSettingWhenTheForkNumberIsMissing(String value) {
    assertThatThrownBy(() -> ForkPortBlock.parseFork(value)).hasMessageContaining("kos.test.fork");
  }
}
