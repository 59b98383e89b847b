package dev.kos.bus.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  @Test
  void aPrincipalOnSeveralLinesHoldsTheGrantsOfAll() {
    AccessPolicy policy = AccessPolicy.parse("tokens", List.of(
        "alice web:operate sha256:" + "a".repeat(64),
        "alice @all:view,web:operate sha256:" + "b".repeat(64),
        "ops @all:admin"));

    assertThat(policy.open()).isFalse();
    assertThat(policy.principal("alice").map(Principal::grantsText)).hasValue("web:operate,@all:view");
    assertThat(policy.principal("ops").map(Principal::grantsText)).hasValue("@all:admin");
    assertThat(policy.principal("mallory")).isEmpty();
  }

  @Test
  void badLinesAreNamedEachWithWhatIsWrong() {
    assertThatThrownBy(() -> AccessPolicy.parse("policy", List.of("# comment", "alice", "bob web:rule",
        "c/d web:view")))
        .hasMessage("policy line 2: expected PRINCIPAL GRANTS (and, in a token file, the token's hash); found 1 fields\n"
            + "policy line 3: unknown verb 'rule' (view, operate or admin)\n"
            + "policy line 4: principal 'c/d' may hold only letters, digits and ._@-");
  }

  @Test
  void withoutAFileEverythingIsOpen() {
    assertThat(AccessPolicy.read(Optional.empty())).isEqualTo(AccessPolicy.OPEN);
  }
}
