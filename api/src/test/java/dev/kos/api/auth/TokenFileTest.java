package dev.kos.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.bus.access.Grant;
import dev.kos.bus.access.Principal;
import dev.kos.bus.access.Verb;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TokenFileTest {

  private static final String TOKEN = "kos_secret-one";
  private static final String HASH = Tokens.hash(TOKEN);

  @Test
  void aTokenInTheFileIsItsPrincipalWithItsGrants() {
    TokenFile file = TokenFile.parse("tokens", List.of(
        "# principal grants hash",
        "",
        "alice  web:operate,@all:view   " + HASH,
        "ops @all:admin " + Tokens.hash("kos_other")));

    assertThat(file.size()).isEqualTo(2);
    assertThat(file.authenticate(TOKEN)).hasValue(new Principal("alice",
        List.of(new Grant("web", Verb.OPERATE), new Grant("@all", Verb.VIEW))));
    assertThat(file.authenticate("kos_other")).map(Principal::name).hasValue("ops");
  }

  @Test
  void aTokenNotInTheFileIsNobody() {
    TokenFile file = TokenFile.parse("tokens", List.of("alice web:view " + HASH));
    assertThat(file.authenticate("kos_secret-two")).isEmpty();
    assertThat(file.authenticate("")).isEmpty();
    assertThat(file.authenticate(HASH)).as("the hash itself is no token").isEmpty();
  }

  @Test
  void theHashIsSha256InHex() {
    // echo -n abc | sha256sum
    assertThat(Tokens.hash("abc")).isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void aNewTokenAuthenticatesThroughItsLine() {
    String token = Tokens.newToken();
    assertThat(token).startsWith("kos_").hasSizeGreaterThan(40);
    assertThat(Tokens.newToken()).isNotEqualTo(token);
    TokenFile file = TokenFile.parse("tokens", List.of(Tokens.line("bob", "batch:operate", token)));
    assertThat(file.authenticate(token)).map(Principal::grantsText).hasValue("batch:operate");
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        Arguments.of("alice web:view", "expected 3 fields"),
        Arguments.of("alice web:view " + HASH + " extra", "expected 3 fields"),
        Arguments.of("al ice web:view " + HASH, "expected 3 fields"),
        Arguments.of("al/ice web:view " + HASH, "principal 'al/ice' may hold only"),
        Arguments.of("alice web " + HASH, "a grant is ROLE:VERB"),
        Arguments.of("alice web:write " + HASH, "unknown verb 'write' (view, operate or admin)"),
        Arguments.of("alice :view " + HASH, "a grant is ROLE:VERB"),
        Arguments.of("alice web:view sha256:abc", "the hash must be sha256: and 64"),
        Arguments.of("alice web:view " + HASH.toUpperCase(), "the hash must be sha256: and 64"),
        Arguments.of("alice web:view " + TOKEN, "the hash must be sha256: and 64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLines")
  void aBadLineIsNamedWithItsNumberAndWhatIsWrong(String line, String problem) {
    assertThatThrownBy(() -> TokenFile.parse("tokens", List.of("# first", line)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tokens line 2: ")
        .hasMessageContaining(problem);
  }

  @Test
  void oneTokenForTwoPrincipalsIsRefused() {
    assertThatThrownBy(() -> TokenFile.parse("tokens", List.of("alice web:view " + HASH, "bob web:view " + HASH)))
        .hasMessage("tokens line 2: the same token hash is on an earlier line: one token, one principal");
  }

  @Test
  void everyBadLineIsReportedAtOnce() {
    assertThatThrownBy(() -> TokenFile.parse("tokens", List.of("x", "alice web:view " + HASH, "y")))
        .hasMessageContaining("tokens line 1:").hasMessageContaining("tokens line 3:");
  }
}
