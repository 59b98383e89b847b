package dev.kos.bench.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FigureGoalTest {

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "250000; >= 200,000; true",
      "200000; >= 200000; true",
      "199999; >= 200,000; false",
      "4.9; <= 5; true",
      "5.1; <= 5; false"})
  void shouldSayWhetherTheValueMeetsItsGoal(double value, String goal, boolean met) {
    assertThat(Figure.of("f", value, "u").withGoal(goal).goalMet()).contains(met);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', nullValues = "NULL", value = {"NULL", "about 5", ">= many"})
  void shouldNotJudgeAGoalItCannotRead(String goal) {
    assertThat(Figure.of("f", 1, "u").withGoal(goal).goalMet()).isEqualTo(Optional.empty());
  }
}
