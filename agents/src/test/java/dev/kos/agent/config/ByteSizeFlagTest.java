package dev.kos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeFlagTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource({"1048576,1048576", "512k,524288", "256m,268435456", "2g,2147483648", "2G,2147483648",
      "2GiB,2147483648", "4 GB,4294967296", "1t,1099511627776", "0,0"})
  void shouldReadASize(String flag, long bytes) {
    assertThat(ByteSizeFlag.parse(flag)).isEqualTo(bytes);
  }

  @ParameterizedTest(name = "''{0}''")
  @ValueSource(strings = {"", "g", "2x", "-1g", "1.5g", "99999999999999999999", "9000000t"})
  void shouldRefuseWhatIsNoSize(String flag) {
    assertThatThrownBy(() -> ByteSizeFlag.parse(flag)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(flag.isEmpty() ? "invalid size" : flag);
  }
}
