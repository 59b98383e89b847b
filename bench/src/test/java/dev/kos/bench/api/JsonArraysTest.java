package dev.kos.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonArraysTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[]|0",
      "[{\"taskId\": \"a\", \"counts\": {\"x\": [1, 2]}}, {\"taskId\": \"b\"}]|2",
      "[1, \"two\", null, [3, 4]]|4",
      "{\"status\": 503, \"reason\": \"still reading\"}|-1",
      "[{\"taskId\": \"a\"}|-1",
      "[1] [2]|-1",
      "not json|-1"})
  void shouldCountTheTopLevelElementsOfAWholeArrayOnly(String body, int expected) {
    assertThat(JsonArrays.count(body)).isEqualTo(expected);
  }
}
