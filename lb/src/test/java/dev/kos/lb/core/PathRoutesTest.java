package dev.kos.lb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathRoutesTest {

  static final List<String> APPS = List.of("/web", "/team-a/web", "/team-a", "/api/");

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
      "/web,                  /web,        /",
      "/web/,                 /web,        /",
      "/web/a/b?x,            /web,        /a/b?x",
      "/team-a/web/index,     /team-a/web, /index",
      "/team-a/other,         /team-a,     /other",
      "/webby,                ,            ",
      "/,                     ,            ",
      "/api/v1,               /api/,       v1",
  })
  void routes(String path, String app, String remainder) {
    Optional<PathRoutes.Match> match = PathRoutes.match(path, APPS);
    if (app == null) {
      assertThat(match).isEmpty();
    } else {
      assertThat(match).contains(new PathRoutes.Match(app, remainder));
    }
  }
}
