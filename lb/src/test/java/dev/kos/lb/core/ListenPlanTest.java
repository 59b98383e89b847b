package dev.kos.lb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ListenPlanTest {

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("each app its port", Map.of(), Map.of("/a", 10080, "/b", 10081), Set.of(),
            Map.of(10080, "/a", 10081, "/b"), 0),
        Arguments.of("the holder keeps a port a newcomer asks for", Map.of(10080, "/z"),
            Map.of("/a", 10080, "/z", 10080), Set.of(), Map.of(10080, "/z"), 1),
        Arguments.of("two newcomers: the first by id", Map.of(), Map.of("/b", 10080, "/a", 10080), Set.of(),
            Map.of(10080, "/a"), 1),
        Arguments.of("a reserved port is refused", Map.of(), Map.of("/a", 8080), Set.of(8080), Map.of(), 1),
        Arguments.of("an app that moves frees its old port", Map.of(10080, "/a"), Map.of("/a", 10081), Set.of(),
            Map.of(10081, "/a"), 0),
        Arguments.of("an app gone frees its port", Map.of(10080, "/a"), Map.of(), Set.of(), Map.of(), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void plans(String name, Map<Integer, String> held, Map<String, Integer> wanted, Set<Integer> reserved,
      Map<Integer, String> expected, int conflicts) {
    ListenPlan.Result result = ListenPlan.plan(held, wanted, reserved);
    assertThat(result.appByPort()).isEqualTo(expected);
    assertThat(result.conflicts()).hasSize(conflicts);
  }
}
