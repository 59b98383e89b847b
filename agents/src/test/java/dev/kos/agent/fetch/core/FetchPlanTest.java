package dev.kos.agent.fetch.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.fetch.core.FetchPlan.Result;
import dev.kos.agent.fetch.core.FetchPlan.Step;
import dev.kos.model.Artifact;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FetchPlanTest {

  private static final String CACHED = "c".repeat(64);
  private static final String OTHER = "d".repeat(64);

  static Stream<Arguments> plans() {
    Artifact pinned = Artifact.of("http://h/app.jar").withSha256(CACHED);
    Artifact unpinned = Artifact.of("http://h/app.jar");
    Artifact notCached = Artifact.of("http://h/lib.jar").withSha256(OTHER);
    Artifact archive = Artifact.of("http://h/tools.tgz").extracted();
    return Stream.of(
        Arguments.of("a cached sha256 is not downloaded", List.of(pinned),
            new Result.Planned(List.of(new Step(pinned, true)))),
        Arguments.of("no sha256: always downloaded, whatever is cached", List.of(unpinned),
            new Result.Planned(List.of(new Step(unpinned, false)))),
        Arguments.of("a sha256 not cached", List.of(notCached, archive, archive),
            new Result.Planned(List.of(new Step(notCached, false), new Step(archive, false),
                new Step(archive, false)))),
        Arguments.of("two files of one name", List.of(pinned, unpinned),
            new Result.Refused("artifacts http://h/app.jar and http://h/app.jar would both be app.jar in the "
                + "sandbox; give one a destination")),
        Arguments.of("renamed, they may both come", List.of(pinned, unpinned.at("app-2.jar")),
            new Result.Planned(List.of(new Step(pinned, true), new Step(unpinned.at("app-2.jar"), false)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("plans")
  void shouldTakeWhatIsCachedAndDownloadTheRest(String name, List<Artifact> artifacts, Result expected) {
    assertThat(FetchPlan.of(artifacts, Set.of(CACHED))).isEqualTo(expected);
  }
}
