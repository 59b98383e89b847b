package dev.kos.bus.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessTest {

  static Stream<Arguments> decisions() {
    return Stream.of(
        // grants, permission needed, allowed
        Arguments.of("web:view", Permission.anyRole(Verb.VIEW), true),
        Arguments.of("web:operate", Permission.anyRole(Verb.VIEW), true),
        Arguments.of("web:view", Permission.anyRole(Verb.OPERATE), false),
        Arguments.of("web:operate", Permission.inRole(Verb.OPERATE, "web"), true),
        Arguments.of("web:admin", Permission.inRole(Verb.OPERATE, "web"), true),
        Arguments.of("web:view", Permission.inRole(Verb.OPERATE, "web"), false),
        Arguments.of("web:operate", Permission.inRole(Verb.OPERATE, "batch"), false),
        Arguments.of("web:operate", Permission.inRole(Verb.OPERATE, "*"), false),
        Arguments.of("*:operate", Permission.inRole(Verb.OPERATE, "*"), true),
        Arguments.of("@all:operate", Permission.inRole(Verb.OPERATE, "batch"), true),
        Arguments.of("@all:view,web:operate", Permission.inRole(Verb.OPERATE, "batch"), false),
        Arguments.of("web:admin", Permission.cluster(Verb.ADMIN), false),
        Arguments.of("@all:operate", Permission.cluster(Verb.ADMIN), false),
        Arguments.of("@all:admin", Permission.cluster(Verb.ADMIN), true),
        Arguments.of("@all:admin", Permission.inRole(Verb.OPERATE, "web"), true),
        Arguments.of("", Permission.anyRole(Verb.VIEW), false));
  }

  @ParameterizedTest(name = "{0} for {1}: {2}")
  @MethodSource("decisions")
  void decides(String grants, Permission needed, boolean allowed) {
    assertThat(Access.denies(principal(grants), List.of(needed)).isEmpty()).isEqualTo(allowed);
  }

  @Test
  void theReasonNamesTheMissingPermissionAndWhatThePrincipalHas() {
    Optional<String> reason = Access.denies(principal("web:operate"),
        List.of(Permission.inRole(Verb.OPERATE, "web"), Permission.inRole(Verb.OPERATE, "batch")));
    assertThat(reason).hasValue("principal alice lacks the permission operate in role batch (it has web:operate)");
    assertThat(Access.denies(principal("web:operate"), List.of(Permission.cluster(Verb.ADMIN))))
        .hasValue("principal alice lacks the permission admin on the cluster (@all:admin) (it has web:operate)");
    assertThat(Access.denies(principal(""), List.of(Permission.anyRole(Verb.VIEW))))
        .hasValue("principal alice lacks the permission view in some role (it has none)");
  }

  private static Principal principal(String grants) {
    return new Principal("alice", grants.isEmpty() ? List.of()
        : Arrays.stream(grants.split(",")).map(Grant::parse).toList());
  }
}
