package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8Test {

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "plain ascii", "caf\u00e9", "\u2713 check", "\ud83d\ude00 emoji", "lone \ud83d high",
      "lone \ude00 low", "end with high \ud83d", "\u00ff\u0800\uffff"})
  void shouldCountWhatTheUtf8EncoderWrites(String text) {
    assertThat(Utf8.length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
  }
}
