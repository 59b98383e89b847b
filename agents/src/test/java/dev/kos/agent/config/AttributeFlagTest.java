package dev.kos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributeFlagTest {
  @Test
  void shouldParseAttributesInOrder() {
    assertThat(AttributeFlag.parse("rack:r1,zone:a").entrySet())
        .extracting(Object::toString)
        .containsExactly("rack=r1", "zone=a");
  }

  @Test
  void shouldTreatAMissingFlagAsNoAttributes() {
    assertThat(AttributeFlag.parse(null)).isEmpty();
    assertThat(AttributeFlag.parse("")).isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource(delimiter = '|', value = {
      "rack         | expected name:value",
      "rack:        | expected name:value",
      ":r1          | expected name:value",
      "rack:r1,rack:r2 | attribute 'rack' is given twice"})
  void shouldRejectWithAClearError(String flag, String expected) {
    assertThatThrownBy(() -> AttributeFlag.parse(flag))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid --attributes entry")
        .hasMessageContaining(expected);
  }
}
